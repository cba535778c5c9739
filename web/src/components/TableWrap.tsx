import type { ReactNode } from 'react';

/**
 * A wide table's box, which scrolls sideways on a narrow screen. It takes the keyboard focus so that someone
 * without a mouse can scroll it too, and is named for screen readers.
 */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
