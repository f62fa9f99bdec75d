// Catches a render error anywhere below it and shows it in words with a way back, never a blank page.

import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Trans } from 'react-i18next';
import i18n from '../i18n';

interface State {
  error: Error | null;
}

export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('The page failed to render', error, info.componentStack);
  }

  override componentDidUpdate(previous: { resetKey?: string }): void {
    // Navigating elsewhere gives the new page a fresh start.
    if (this.state.error && previous.resetKey !== this.props.resetKey) this.setState({ error: null });
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div role="alert" className="error-page">
        <h1>{i18n.t('app.crashed')}</h1>
        <p>
          <Trans i18nKey="app.crashedHint" values={{ message: this.state.error.message }} />
        </p>
        <p>
          <a href="/inbox">{i18n.t('app.backToInbox')}</a>
        </p>
      </div>
    );
  }
}
