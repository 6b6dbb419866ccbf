import { formatCount } from '../../ui/format';
import { useHealth } from './api/use-health';

type Tone = 'ok' | 'warn' | 'down' | 'pending';

/** Header badge: is the API up, and how big is the catalog it serves. */
export function HealthIndicator() {
  const health = useHealth();
  let tone: Tone = 'pending';
  let text = 'Connecting…';
  let detail = 'Waiting for the API';
  if (health.isError) {
    tone = 'down';
    text = 'API offline';
    detail = health.error.message;
  } else if (health.data) {
    const { status, catalog } = health.data;
    tone = status === 'ok' ? 'ok' : status === 'degraded' ? 'warn' : 'down';
    text = `${formatCount(catalog.songs)} songs`;
    detail = `API ${status} · ${formatCount(catalog.genres)} genres · source: ${catalog.source}`;
  }
  return (
    <p className={`health health--${tone}`} role="status" title={detail}>
      <span className="health__dot" aria-hidden="true" />
      <span className="health__text">{text}</span>
      <span className="visually-hidden"> ({detail})</span>
    </p>
  );
}
