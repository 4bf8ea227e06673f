import { useConnectionStatus } from '../realtime/index.js';

/** The yellow banner while the connection is down, with "Retry now". */
export function ConnectionBanner() {
  const { status, error, attempt, nextRetryInMs, retry } = useConnectionStatus();
  if (status !== 'reconnecting' && !(status === 'closed' && error)) return null;
  const next = nextRetryInMs != null ? ` Next attempt in ${Math.ceil(nextRetryInMs / 1000)} s.` : '';
  return (
    <div className="banner" role="status" data-testid="banner">
      <p>
        {status === 'reconnecting' ? `Reconnecting${attempt ? ` (attempt ${attempt})` : ''}…` : 'Disconnected.'}
        {next} {error}
      </p>
      <button type="button" onClick={retry} data-testid="banner-retry">
        Retry now
      </button>
    </div>
  );
}
