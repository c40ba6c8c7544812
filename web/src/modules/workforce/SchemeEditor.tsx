import type { ReactNode } from 'react';
import { Button, Card, Descriptions, Input, InputNumber, Select, Space, Table, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useLang } from '../../app/LangContext';

/** A rule set as the editor holds it: the JSON the server stores (money in fen). */
export type Rules = Record<string, unknown> & { kind: 'three_post_eighteen_grade' | 'four_level_six_step' };

const POST_TYPES = ['head', 'deputy', 'staff'];
const LEVELS = ['dual_head', 'head', 'deputy', 'staff'];
const EDUCATIONS = ['secondary', 'high_school', 'junior_college', 'bachelor', 'master', 'doctor'];
const APPRAISALS = ['excellent', 'competent', 'basic', 'incompetent'];
const QUALIFICATIONS = ['assistant_social_worker', 'social_worker', 'senior_social_worker'];
const WHEN = ['all', 'party_affairs', ...LEVELS];

export function getAt(o: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v === null || v === undefined ? undefined : (v as Record<string, unknown>)[k]), o);
}

/** A copy of the rules with one value replaced (arrays and objects along the path copied). */
export function setAt<T>(o: T, path: string, value: unknown): T {
  const keys = path.split('.');
  const copy = (structuredClone(o) ?? {}) as Record<string, unknown>;
  let cur = copy;
  for (const k of keys.slice(0, -1)) {
    if (cur[k] === null || typeof cur[k] !== 'object') cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]] = value;
  return copy as T;
}

interface Props {
  rules: Rules;
  onChange: (r: Rules) => void;
  errors: Record<string, string>;
}

/**
 * The structured editor of a pay scheme (W4): 三岗十八级 (post types × 18 grades, the grade from
 * years, education and qualification) or 四级六档 (four levels × six steps of a 400–2000 yuan
 * subsidy, the step from points), the performance pay by appraisal, the qualification allowance,
 * the grid allowance and other items. Money is edited in yuan and kept in fen; each field shows
 * the server's problem with it.
 */
export default function SchemeEditor({ rules, onChange, errors }: Props) {
  const { t, tc } = useLang();
  const three = rules.kind === 'three_post_eighteen_grade';
  const set = (path: string, v: unknown) => onChange(setAt(rules, path, v));
  const err = (path: string) => errors[path];

  /** A number cell; `money` shows yuan and stores fen. */
  const num = (path: string, money: boolean, width = 96) => {
    const raw = getAt(rules, path);
    const value = typeof raw === 'number' ? (money ? raw / 100 : raw) : null;
    const e = err(path);
    return (
      <div>
        <InputNumber
          size="small"
          value={value}
          status={e ? 'error' : undefined}
          style={{ width }}
          step={money ? 10 : 1}
          onChange={(v) => set(path, v === null ? null : money ? Math.round(Number(v) * 100) : Number(v))}
          data-testid={`wf-rule-${path}`}
        />
        {e && (
          <div style={{ color: '#cf1322', fontSize: 12, maxWidth: 180 }} data-testid={`wf-rule-error-${path}`}>
            {e}
          </div>
        )}
      </div>
    );
  };
  const tableError = (path: string) =>
    err(path) ? (
      <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid={`wf-rule-error-${path}`}>
        {err(path)}
      </Typography.Text>
    ) : null;
  const row = (label: ReactNode, keys: string[], prefix: string, labelOf: (k: string) => string, money: boolean) => (
    <Descriptions.Item label={label}>
      <Space wrap size={[12, 4]}>
        {keys.map((k) => (
          <Space key={k} size={4} align="start">
            <span style={{ fontSize: 12, color: '#666' }}>{labelOf(k)}</span>
            {num(`${prefix}.${k}`, money, 84)}
          </Space>
        ))}
      </Space>
    </Descriptions.Item>
  );

  // The grade table: 三岗 rows are grades 1–18 × post types; 四级 rows are levels × steps 1–6.
  const bands = three ? POST_TYPES : LEVELS;
  const tableKey = three ? 'gradePayFen' : 'subsidyFen';
  const width = three ? 18 : 6;
  const gradeTable = three ? (
    <Table
      size="small"
      pagination={false}
      rowKey="g"
      scroll={{ y: 300 }}
      dataSource={Array.from({ length: width }, (_, i) => ({ g: i }))}
      columns={[
        { title: t('wf.pe.grade'), key: 'g', width: 60, render: (_, r) => t('wf.pe.gradeN', { n: r.g + 1 }) },
        ...bands.map((b) => ({ title: tc('wfPost', b), key: b, render: (_: unknown, r: { g: number }) => num(`${tableKey}.${b}.${r.g}`, true) })),
      ]}
      data-testid="wf-rule-grade-table"
    />
  ) : (
    <Table
      size="small"
      pagination={false}
      rowKey="b"
      scroll={{ x: 'max-content' }}
      dataSource={bands.map((b) => ({ b }))}
      columns={[
        { title: t('wf.pe.level'), key: 'b', render: (_, r) => tc('wfPost', r.b) },
        ...Array.from({ length: width }, (_, i) => ({
          title: t('wf.pe.stepN', { n: i + 1 }),
          key: String(i),
          render: (_: unknown, r: { b: string }) => num(`${tableKey}.${r.b}.${i}`, true, 72),
        })),
      ]}
      data-testid="wf-rule-grade-table"
    />
  );
  const items = (getAt(rules, 'otherItems') as { code: string; label: string; amountFen: number; when: string }[] | undefined) ?? [];

  return (
    <Space direction="vertical" style={{ width: '100%' }} size={12} data-testid="wf-scheme-editor">
      <Card size="small" type="inner" title={t('wf.pe.postPay')}>
        <Descriptions size="small" column={1}>
          {row(t('wf.pe.postPay'), bands, 'postPayFen', (k) => tc('wfPost', k), true)}
        </Descriptions>
      </Card>
      <Card
        size="small"
        type="inner"
        title={three ? t('wf.pe.gradeTable3') : t('wf.pe.gradeTable4')}
        extra={bands.map((b) => tableError(`${tableKey}.${b}`))}
      >
        {gradeTable}
      </Card>
      <Card size="small" type="inner" title={three ? t('wf.pe.gradeRules3') : t('wf.pe.gradeRules4')}>
        <Descriptions size="small" column={1}>
          {three ? (
            <>
              <Descriptions.Item label={t('wf.pe.yearsPerGrade')}>{num('yearsPerGrade', false, 70)}</Descriptions.Item>
              {row(t('wf.pe.educationGrades'), EDUCATIONS, 'educationGrades', (k) => tc('wfEdu', k), false)}
              {row(t('wf.pe.qualificationGrades'), QUALIFICATIONS, 'qualificationGrades', (k) => tc('wfCert', k), false)}
            </>
          ) : (
            <>
              <Descriptions.Item label={t('wf.pe.perYear')}>
                <Space>
                  {num('points.perYear', false, 70)}
                  <span>{t('wf.pe.maxYears')}</span>
                  {num('points.maxYears', false, 70)}
                </Space>
              </Descriptions.Item>
              {row(t('wf.pe.appraisalPoints'), APPRAISALS, 'points.appraisal', (k) => tc('wfAppraisal', k), false)}
              {row(t('wf.pe.educationPoints'), EDUCATIONS, 'points.education', (k) => tc('wfEdu', k), false)}
              <Descriptions.Item label={t('wf.pe.thresholds')}>
                <Space direction="vertical" size={2}>
                  <Space wrap>
                    {Array.from({ length: 6 }, (_, i) => (
                      <Space key={i} size={4} align="start">
                        <span style={{ fontSize: 12, color: '#666' }}>{t('wf.pe.stepN', { n: i + 1 })}</span>
                        {num(`stepThresholds.${i}`, false, 64)}
                      </Space>
                    ))}
                  </Space>
                  {tableError('stepThresholds')}
                </Space>
              </Descriptions.Item>
            </>
          )}
        </Descriptions>
      </Card>
      <Card size="small" type="inner" title={t('wf.pe.allowances')}>
        <Descriptions size="small" column={1}>
          {row(t('wf.pe.performance'), APPRAISALS, 'performanceFen', (k) => tc('wfAppraisal', k), true)}
          {row(t('wf.pe.qualification'), QUALIFICATIONS, 'qualificationFen', (k) => tc('wfCert', k), true)}
          <Descriptions.Item label={t('wf.pe.grid')}>{num('gridPerformanceMaxFen', true)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card
        size="small"
        type="inner"
        title={t('wf.pe.otherItems')}
        extra={
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => set('otherItems', [...items, { code: `item_${items.length + 1}`, label: '', amountFen: 0, when: 'all' }])}
            data-testid="wf-rule-add-item"
          >
            {t('wf.pe.addItem')}
          </Button>
        }
      >
        <Table
          size="small"
          pagination={false}
          rowKey={(_, i) => String(i)}
          dataSource={items}
          columns={[
            {
              title: t('wf.pe.itemLabel'),
              key: 'l',
              render: (_, o, i) => (
                <div>
                  <Input
                    size="small"
                    value={o.label}
                    status={err(`otherItems.${i}`) || err(`otherItems.${i}.label`) ? 'error' : undefined}
                    onChange={(e) => set(`otherItems.${i}.label`, e.target.value)}
                    data-testid={`wf-rule-otherItems.${i}.label`}
                  />
                  {tableError(`otherItems.${i}`)}
                  {tableError(`otherItems.${i}.label`)}
                </div>
              ),
            },
            { title: t('wf.pay.amount'), key: 'a', render: (_, _o, i) => num(`otherItems.${i}.amountFen`, true) },
            {
              title: t('wf.pe.when'),
              key: 'w',
              render: (_, o, i) => (
                <Select
                  size="small"
                  value={o.when}
                  style={{ width: 150 }}
                  onChange={(v) => set(`otherItems.${i}.when`, v)}
                  options={WHEN.map((w) => ({ value: w, label: w === 'all' ? t('wf.pe.everyone') : w === 'party_affairs' ? t('wf.partyAffairs') : tc('wfPost', w) }))}
                />
              ),
            },
            {
              title: '',
              key: 'x',
              render: (_, _o, i) => (
                <Button size="small" icon={<DeleteOutlined />} onClick={() => set('otherItems', items.filter((_x, j) => j !== i))} />
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
