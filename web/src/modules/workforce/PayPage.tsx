import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Flex, Input, Row, Select, Table, Tag, Typography } from 'antd';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { isApiError } from '../../app/api';
import { homeCode, problemsOf, wfApi, wfMore, yuan, type PayItem } from './api';
import SchemeEditor, { type Rules } from './SchemeEditor';
import PayRuns from './PayRuns';

/** The month after YYYY-MM. */
const nextMonth = (m: string) => {
  const [y, mo] = m.split('-').map(Number);
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
};

/**
 * Pay (W4): the scheme in use edited as a structured form and saved as a new version from a
 * month on, beside the preview of what one worker would get under the stored or the edited rules;
 * then the grade run and the months paid.
 */
export default function PayPage() {
  const { t } = useLang();
  const { session } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const district = homeCode(session?.roles ?? []).slice(0, 6);
  const schemes = useQuery({ queryKey: ['wf', 'schemes', district], queryFn: () => wfApi.schemes(district), enabled: !!district });
  const workers = useQuery({ queryKey: ['wf', 'workers', {}], queryFn: () => wfApi.workers({}) });
  const codes = [...new Set((schemes.data?.items ?? []).map((s) => s.code))];
  const [code, setCode] = useState<string | null>(null);
  const current = code ?? schemes.data?.inUse ?? codes[0] ?? null;
  const versions = (schemes.data?.items ?? []).filter((s) => s.code === current);
  const latest = versions[0];
  const [draft, setDraft] = useState<Rules | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [effectiveFrom, setEffectiveFrom] = useState(nextMonth(new Date().toISOString().slice(0, 7)));
  const [note, setNote] = useState('');
  const [workerId, setWorkerId] = useState<string | undefined>();
  const [month, setMonth] = useState('2026-10');
  const [preview, setPreview] = useState<{ items: PayItem[]; totalFen: number; ruleGrade: { reasons: string[] }; draft: boolean } | null>(
    null,
  );
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (latest) setDraft(structuredClone(latest.rules) as Rules);
    setErrors({});
  }, [latest]);
  const edited = !!draft && !!latest && JSON.stringify(draft) !== JSON.stringify(latest.rules);

  const failed = (e: unknown) => {
    const byField = problemsOf(e);
    setErrors(byField);
    const n = Object.keys(byField).length;
    setProblem(isApiError(e) ? (n ? t('wf.pe.problems', { n }) : e.message) : String(e));
  };
  const compute = async (withDraft: boolean) => {
    if (!workerId) return;
    setProblem(null);
    try {
      const r = await wfApi.preview({ workerId, month, rules: withDraft ? draft : undefined });
      setPreview({ ...r, draft: withDraft });
      if (withDraft) setErrors({});
    } catch (e) {
      setPreview(null);
      failed(e);
    }
  };
  const save = async () => {
    if (!draft || !latest) return;
    setProblem(null);
    try {
      const s = await wfMore.saveScheme({
        districtCode: district,
        code: latest.code,
        name: latest.name,
        effectiveFrom,
        rules: draft,
        ...(note ? { note } : {}),
      });
      message.success(t('wf.pe.saved', { n: s.versionNo, month: s.effectiveFrom }));
      setNote('');
      void qc.invalidateQueries({ queryKey: ['wf', 'schemes'] });
    } catch (e) {
      failed(e);
    }
  };

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={14}>
        <Card
          size="small"
          title={t('wf.pay.scheme')}
          extra={
            codes.length > 1 && (
              <Select size="small" value={current} onChange={setCode} options={codes.map((c) => ({ value: c, label: c }))} />
            )
          }
        >
          {latest && (
            <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }}>
              <Typography.Text strong>{latest.name}</Typography.Text>
              <Tag color="blue">{latest.kind === 'four_level_six_step' ? '四级六档' : '三岗十八级'}</Tag>
              <span>{t('wf.pay.version', { n: latest.versionNo, month: latest.effectiveFrom })}</span>
              {latest.code === schemes.data?.inUse && <Tag color="green">{t('wf.pe.inUse')}</Tag>}
            </Flex>
          )}
          {draft && <SchemeEditor rules={draft} onChange={setDraft} errors={errors} />}
          <Flex gap={8} wrap align="start" style={{ marginTop: 12 }} data-testid="wf-scheme-save-bar">
            <div>
              <Input
                type="month"
                value={effectiveFrom}
                onChange={(e) => setEffectiveFrom(e.target.value)}
                status={errors.effectiveFrom ? 'error' : undefined}
                addonBefore={t('wf.pe.effectiveFrom')}
                style={{ width: 240 }}
                data-testid="wf-scheme-from"
              />
              {errors.effectiveFrom && (
                <div style={{ color: '#cf1322', fontSize: 12 }} data-testid="wf-rule-error-effectiveFrom">
                  {errors.effectiveFrom}
                </div>
              )}
            </div>
            <Input value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('wf.pe.note')} style={{ width: 220 }} />
            <Button type="primary" disabled={!edited} onClick={() => void save()} data-testid="wf-scheme-save">
              {t('wf.pe.save')}
            </Button>
            <Button disabled={!edited} onClick={() => latest && setDraft(structuredClone(latest.rules) as Rules)}>
              {t('wf.pe.reset')}
            </Button>
          </Flex>
          {problem && <Alert style={{ marginTop: 8 }} type="error" showIcon title={problem} data-testid="wf-scheme-problem" />}
          <Table
            style={{ marginTop: 12 }}
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={versions}
            data-testid="wf-scheme-versions"
            columns={[
              { title: t('wf.pe.versionNo'), dataIndex: 'versionNo', key: 'v' },
              { title: t('wf.pe.effectiveFrom'), dataIndex: 'effectiveFrom', key: 'f' },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} xl={10}>
        <Card size="small" title={t('wf.pay.preview')} data-testid="wf-pay-preview" style={{ position: 'sticky', top: 8 }}>
          <Flex gap={8} wrap style={{ marginBottom: 12 }}>
            <Select
              showSearch
              optionFilterProp="label"
              placeholder={t('wf.pay.worker')}
              style={{ width: 220 }}
              value={workerId}
              onChange={setWorkerId}
              options={(workers.data ?? []).map((w) => ({ value: w.id, label: `${w.name}（${w.communityName}）` }))}
              data-testid="wf-pay-worker"
            />
            <Input type="month" value={month} onChange={(e) => setMonth(e.target.value)} style={{ width: 150 }} />
            <Button type="primary" onClick={() => void compute(false)} disabled={!workerId} data-testid="wf-pay-compute">
              {t('wf.pay.compute')}
            </Button>
            <Button onClick={() => void compute(true)} disabled={!workerId || !edited} data-testid="wf-pay-draft">
              {t('wf.pay.draftPreview')}
            </Button>
          </Flex>
          {preview && (
            <>
              {preview.draft && <Tag color="orange">{t('wf.pe.draftTag')}</Tag>}
              <Table
                rowKey="code"
                size="small"
                pagination={false}
                dataSource={preview.items}
                columns={[
                  { title: t('wf.pay.item'), dataIndex: 'label', key: 'l' },
                  { title: t('wf.pay.amount'), key: 'a', align: 'right', render: (_, i: PayItem) => yuan(i.amountFen) },
                  { title: t('wf.pay.explain'), dataIndex: 'explain', key: 'e' },
                ]}
                summary={() => (
                  <Table.Summary.Row>
                    <Table.Summary.Cell index={0}>
                      <b>{t('wf.pay.total')}</b>
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={1} align="right">
                      <b data-testid="wf-pay-total">{yuan(preview.totalFen)}</b>
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={2} />
                  </Table.Summary.Row>
                )}
              />
              <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                {preview.ruleGrade.reasons.join('；')}
              </Typography.Paragraph>
            </>
          )}
        </Card>
      </Col>
      <PayRuns district={district} />
    </Row>
  );
}
