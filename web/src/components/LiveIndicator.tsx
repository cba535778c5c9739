import { liveLabels, type LiveState } from '../relay/live';

/** Whether updates arrive by themselves; announced politely when it changes. */
export function LiveIndicator({ state }: { state: LiveState }) {
  return (
    <span className={`live live-${state}`} role="status" aria-live="polite" data-testid="live-indicator" data-state={state}>
      <span className="live-dot" aria-hidden="true" />
      {liveLabels[state]}
    </span>
  );
}
