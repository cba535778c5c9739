import { Component, type ReactNode } from 'react';
import { errorMessage } from '../relay/errors';

interface Props {
  children: ReactNode;
  /** What failed, for the heading ("This screen"). */
  what?: string;
}

interface State {
  error: unknown;
}

/** Shows a failure in words with a way to retry, never a blank screen. */
export class ErrorBoundary extends Component<Props, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error };
  }

  render() {
    if (this.state.error == null) return this.props.children;
    return (
      <div className="panel error-panel" role="alert">
        <h2>{this.props.what ?? 'This screen'} could not be shown</h2>
        <p>{errorMessage(this.state.error)}</p>
        <button type="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
