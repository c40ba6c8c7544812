import { useMemo } from 'react';
import { Alert, Button, Flex, Select, Table, Tag, Typography } from 'antd';
import { useLang } from '../../app/LangContext';
import type { ImportPreview } from './api';

/**
 * The wizard's column-mapping step: each column of the file beside a few of its (masked) values
 * and the field it feeds, as the server guessed it; the user changes any of them, or leaves a
 * column out. Required fields not yet fed, and a field fed twice, are shown and stop the next step.
 */
export function ImportMapping(props: {
  preview: ImportPreview;
  fileName: string;
  columns: (string | null)[];
  onChange: (columns: (string | null)[]) => void;
  onNext: () => void;
  onBack: () => void;
  busy: boolean;
}) {
  const { t } = useLang();
  const { preview, columns } = props;
  const headerOf = useMemo(() => new Map(preview.fields.map((f) => [f.key, f.header])), [preview.fields]);
  const counts = new Map<string, number>();
  for (const c of columns) if (c) counts.set(c, (counts.get(c) ?? 0) + 1);
  const missing = preview.fields.filter((f) => f.required && !counts.has(f.key));
  const twice = [...counts].filter(([, n]) => n > 1).map(([k]) => headerOf.get(k) ?? k);
  const ready = !missing.length && !twice.length;
  const options = [
    { value: '', search: t('registry.import.map.skip'), label: <Typography.Text type="secondary">{t('registry.import.map.skip')}</Typography.Text> },
    ...preview.fields.map((f) => ({ value: f.key, search: f.header, label: f.required ? `${f.header} *` : f.header, title: f.note || f.header })),
  ];
  const rows = preview.headers.map((header, i) => ({ i, header, samples: preview.samples.map((r) => r[i]).filter((v) => v !== '') }));

  return (
    <Flex vertical gap={12} data-testid="import-mapping">
      <Alert
        type={preview.matchedByName ? 'success' : 'info'}
        showIcon
        title={
          preview.matchedByName
            ? t('registry.import.map.allKnown', { file: props.fileName })
            : t('registry.import.map.intro', { file: props.fileName })
        }
      />
      <Table
        size="small"
        rowKey="i"
        pagination={false}
        dataSource={rows}
        scroll={{ x: 560 }}
        columns={[
          {
            title: t('registry.import.map.fileColumn'),
            dataIndex: 'header',
            key: 'h',
            width: 160,
            render: (h: string) => h || <Typography.Text type="secondary">—</Typography.Text>,
          },
          {
            title: t('registry.import.map.samples'),
            key: 's',
            render: (_: unknown, r: (typeof rows)[number]) => (
              <Typography.Text type="secondary" ellipsis style={{ maxWidth: 260 }}>
                {r.samples.slice(0, 3).join(' · ') || '—'}
              </Typography.Text>
            ),
          },
          {
            title: t('registry.import.map.field'),
            key: 'f',
            width: 220,
            render: (_: unknown, r: (typeof rows)[number]) => {
              const key = columns[r.i];
              return (
                <Select
                  value={key ?? ''}
                  options={options}
                  showSearch={{ optionFilterProp: 'search' }}
                  style={{ width: 200 }}
                  status={key && (counts.get(key) ?? 0) > 1 ? 'error' : undefined}
                  onChange={(v: string) => props.onChange(columns.map((c, j) => (j === r.i ? v || null : c)))}
                  data-testid={`import-map-${r.i}`}
                  aria-label={r.header}
                />
              );
            },
          },
        ]}
      />
      <Flex wrap gap={6} align="center" data-testid="import-map-required">
        <Typography.Text>{t('registry.import.map.required')}</Typography.Text>
        {preview.fields
          .filter((f) => f.required)
          .map((f) => (
            <Tag key={f.key} color={counts.has(f.key) ? 'success' : 'error'}>
              {f.header}
            </Tag>
          ))}
      </Flex>
      {!!missing.length && (
        <Alert type="error" showIcon title={t('registry.import.missing', { cols: missing.map((f) => f.header).join('、') })} />
      )}
      {!!twice.length && <Alert type="error" showIcon title={t('registry.import.map.twice', { cols: twice.join('、') })} />}
      <Flex gap={8}>
        <Button type="primary" disabled={!ready} loading={props.busy} onClick={props.onNext} data-testid="import-map-next">
          {t('registry.import.map.next')}
        </Button>
        <Button onClick={props.onBack}>{t('registry.import.map.back')}</Button>
      </Flex>
    </Flex>
  );
}
