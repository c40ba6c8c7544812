import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Flex, InputNumber, Row, Select, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { useLang } from '../../app/LangContext';
import { wfApi, wfCare, yuan, type AwardInput } from './api';
import AwardForm, { HONOUR_KINDS } from './AwardForm';
const KIND_COLOR: Record<string, string> = { service_medal: 'gold', gengyun: 'green', service_certificate: 'blue', award: 'red' };

/**
 * Honours (W6): this year's candidates by years of service (20 years → certificate, 30 → medal,
 * 20+ → 耕耘奖, thresholds per district), each awarded through the award form; and the award
 * records under the caller's place, filtered by year and kind, with amounts and .xlsx exports.
 */
export default function HonoursPanel({ code }: { code: string }) {
  const { t, tc } = useLang();
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const [recordYear, setRecordYear] = useState<number | undefined>(thisYear);
  const [kind, setKind] = useState<string | undefined>();
  const [form, setForm] = useState<Partial<AwardInput> | null>(null);
  const candidates = useQuery({ queryKey: ['wf', 'candidates', code, year], queryFn: () => wfApi.candidates(code, year), enabled: !!code });
  const filter = { year: recordYear, kind };
  const awards = useQuery({ queryKey: ['wf', 'awards', code, filter], queryFn: () => wfCare.awards(code, filter), enabled: !!code });
  const caps = awards.data?.capsFen;
  const kindTag = (k: string) => <Tag color={KIND_COLOR[k]}>{tc('wfHonour', k)}</Tag>;

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={10}>
        <Card
          size="small"
          title={t('wf.care.candidates')}
          data-testid="wf-honour-candidates"
          extra={
            <Flex gap={8}>
              <InputNumber value={year} min={2000} max={2100} onChange={(v) => v && setYear(v)} style={{ width: 90 }} />
              <Button size="small" icon={<DownloadOutlined />} onClick={() => void wfCare.exportCandidates(code, year)}>
                {t('wf.exportXlsx')}
              </Button>
            </Flex>
          }
        >
          <Table
            rowKey={(r) => `${r.workerId}-${r.kind}`}
            size="small"
            pagination={{ pageSize: 10 }}
            dataSource={candidates.data?.items ?? []}
            loading={candidates.isLoading}
            locale={{ emptyText: t('wf.aw.candidatesNone') }}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: t('wf.name'), dataIndex: 'name', key: 'n' },
              { title: t('wf.community'), dataIndex: 'communityName', key: 'c' },
              { title: t('wf.years'), key: 'y', render: (_, r) => t('wf.yearsN', { n: r.years }) },
              { title: t('wf.care.kind'), key: 'k', render: (_, r) => kindTag(r.kind) },
              {
                title: '',
                key: 'a',
                render: (_, r) => (
                  <Button
                    size="small"
                    data-testid={`wf-honour-award-${r.name}-${r.kind}`}
                    onClick={() => setForm({ workerId: r.workerId, kind: r.kind, year, title: tc('wfHonour', r.kind) })}
                  >
                    {t('wf.care.award')}
                  </Button>
                ),
              },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} xl={14}>
        <Card
          size="small"
          title={t('wf.aw.records')}
          data-testid="wf-award-records"
          extra={
            <Flex gap={8} wrap>
              <Select
                allowClear
                placeholder={t('wf.aw.allYears')}
                value={recordYear}
                onChange={setRecordYear}
                style={{ width: 110 }}
                options={Array.from({ length: 8 }, (_, i) => thisYear - i).map((y) => ({ value: y, label: String(y) }))}
                data-testid="wf-award-year"
              />
              <Select
                allowClear
                placeholder={t('wf.aw.allKinds')}
                value={kind}
                onChange={setKind}
                style={{ width: 200 }}
                options={HONOUR_KINDS.map((k) => ({ value: k, label: tc('wfHonour', k) }))}
                data-testid="wf-award-kind"
              />
              <Button
                size="small"
                icon={<DownloadOutlined />}
                onClick={() => void wfCare.exportAwards(code, filter)}
                data-testid="wf-award-export"
              >
                {t('wf.exportXlsx')}
              </Button>
              <Button
                size="small"
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setForm({ kind: 'award', year: thisYear })}
                data-testid="wf-award-new"
              >
                {t('wf.aw.new')}
              </Button>
            </Flex>
          }
        >
          {awards.data && (
            <Typography.Paragraph type="secondary" data-testid="wf-award-total">
              {t('wf.aw.total', { n: awards.data.items.length, amount: yuan(awards.data.totalFen) })}
            </Typography.Paragraph>
          )}
          <Table
            rowKey="id"
            size="small"
            pagination={{ pageSize: 10 }}
            dataSource={awards.data?.items ?? []}
            loading={awards.isLoading}
            locale={{ emptyText: t('wf.aw.none') }}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: t('wf.aw.awardedOn'), dataIndex: 'awardedOn', key: 'd' },
              { title: t('wf.aw.title'), dataIndex: 'title', key: 't' },
              { title: t('wf.hr.kind'), key: 'k', render: (_, r) => kindTag(r.kind) },
              {
                title: t('wf.aw.target'),
                key: 'w',
                render: (_, r) =>
                  r.collective ? (
                    <span>
                      <Tag>{t('wf.aw.collective')}</Tag>
                      {r.communityName}
                    </span>
                  ) : (
                    `${r.workerName}（${r.communityName}）`
                  ),
              },
              { title: t('wf.aw.amount'), key: 'm', align: 'right', render: (_, r) => (r.amountFen ? yuan(r.amountFen) : '—') },
              { title: t('wf.aw.awardedBy'), dataIndex: 'awardedBy', key: 'b' },
            ]}
          />
        </Card>
      </Col>
      <AwardForm initial={form} caps={caps} onClose={() => setForm(null)} />
    </Row>
  );
}
