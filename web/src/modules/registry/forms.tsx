import { useQuery } from '@tanstack/react-query';
import { Empty, Timeline, Typography, type FormInstance } from 'antd';
import { isApiError } from '../../app/api';
import { formatDateTime } from '../../app/format';
import { useLang } from '../../app/LangContext';
import type { HistoryItem } from './api';

/**
 * What the registry's forms share: the server's reasons (in Chinese, per field) shown under the
 * field they concern, and a record's history. The rules themselves live on the server
 * (person-rules.ts, validators.ts); the forms only catch empty and malformed input early.
 */

/** The registry forms' length rule: at most n characters, said in the user's language. */
export function maxLength(t: ReturnType<typeof useLang>['t'], n: number) {
  return { max: n, message: t('registry.form.tooLong', { n }) };
}

/** Puts a VALIDATION_FAILED answer's problems under their fields; true when any was placed. */
export function showServerProblems(form: FormInstance, error: unknown, fieldNames: string[]): boolean {
  if (!isApiError(error) || error.code !== 'VALIDATION_FAILED') return false;
  const problems = (error.details as { problems?: { field: string; reason: string }[] } | undefined)?.problems ?? [];
  const known = problems.filter((p) => fieldNames.includes(p.field));
  if (!known.length) return false;
  const byField = new Map<string, string[]>();
  for (const p of known) byField.set(p.field, [...(byField.get(p.field) ?? []), p.reason]);
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  return true;
}

/** The fields that differ between a history entry's before and after. */
export function historyChanges(h: HistoryItem): string[] {
  const before = h.before ?? {};
  const after = h.after ?? {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map((k) => `${k}: ${h.before ? `${JSON.stringify(before[k] ?? '')} → ` : ''}${JSON.stringify(after[k] ?? '')}`);
}

/** A record's changes, newest first: who, when, what before and after. */
export function HistoryTimeline({ items, testId }: { items: HistoryItem[] | undefined; testId?: string }) {
  const { t, tc, lang } = useLang();
  if (!items?.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('registry.historyEmpty')} />;
  return (
    <Timeline
      data-testid={testId}
      items={items.map((h) => ({
        key: h.id,
        content: (
          <div>
            <Typography.Text strong>{tc('history', h.action)}</Typography.Text>{' '}
            <Typography.Text type="secondary">
              {h.actorName} · {formatDateTime(h.at, lang)}
            </Typography.Text>
            {historyChanges(h).map((c) => (
              <div key={c} style={{ fontSize: 12 }} className="mono">
                {c}
              </div>
            ))}
          </div>
        ),
      }))}
    />
  );
}

/** History of a unit or vehicle, loaded when its edit dialog opens. */
export function RecordHistory({ kind, id, load }: { kind: string; id: string; load: (id: string) => Promise<{ items: HistoryItem[] }> }) {
  const { t } = useLang();
  const history = useQuery({ queryKey: ['registry', `${kind}-history`, id], queryFn: () => load(id) });
  return (
    <div style={{ marginTop: 8 }}>
      <Typography.Title level={5}>{t('registry.history')}</Typography.Title>
      <HistoryTimeline items={history.data?.items} testId={`${kind}-history`} />
    </div>
  );
}
