import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Form, Input, Result, Select, Space, Spin, Switch, Tag, Typography, Upload } from 'antd';
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useParams } from 'react-router-dom';
import type { Dayjs } from 'dayjs';
import { useLang } from '../../app/LangContext';
import { isApiError } from '../../app/api';
import { publicApi, type OnlineResult } from './api';

const EDUCATIONS = ['secondary', 'high_school', 'junior_college', 'bachelor', 'master', 'doctor'];
const CERTS = ['assistant_social_worker', 'social_worker', 'senior_social_worker', 'counsellor', 'other'];
const MAX_SCAN = 2 * 1024 * 1024;

interface CertRow {
  kind: string;
  issuedOn?: Dayjs;
  file?: { fileName: string; mime: string; dataBase64: string };
}

function toBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).split(',')[1] ?? '');
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

/** The public online application form (网上报名): no sign-in; answers with a pre-check. */
export default function ApplyPage() {
  const { planId = '' } = useParams();
  const { t, tc } = useLang();
  const [form] = Form.useForm();
  const [certs, setCerts] = useState<CertRow[]>([]);
  const [result, setResult] = useState<OnlineResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const clientKey = useMemo(() => `web-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`, []);
  const plans = useQuery({ queryKey: ['public', 'plans'], queryFn: publicApi.plans, enabled: !planId });
  const id = planId || plans.data?.[0]?.id;
  const plan = useQuery({ queryKey: ['public', 'plan', id], queryFn: () => publicApi.plan(id!), enabled: !!id });
  const p = plan.data;

  const submit = async (v: Record<string, unknown>) => {
    setBusy(true);
    setError(null);
    try {
      const r = await publicApi.apply(id!, {
        ...v,
        certificates: certs
          .filter((c) => c.issuedOn)
          .map((c) => ({ kind: c.kind, issuedOn: c.issuedOn!.format('YYYY-MM-DD'), ...(c.file ? { file: c.file } : {}) })),
        clientKey,
      });
      setResult(r);
    } catch (e) {
      setError(
        isApiError(e)
          ? [e.message, ...((e.details as { problems?: { reason: string }[] } | undefined)?.problems ?? []).map((x) => x.reason)].join('：')
          : String(e),
      );
    } finally {
      setBusy(false);
    }
  };

  const page = (children: React.ReactNode) => (
    <div style={{ maxWidth: 720, margin: '24px auto', padding: '0 12px' }}>
      <Typography.Title level={3}>{t('wf.apply.title')}</Typography.Title>
      {children}
    </div>
  );
  if (plan.isLoading || plans.isLoading) return page(<Spin />);
  if (!p) return page(<Result status="info" title={t('wf.apply.closed')} />);
  if (result)
    return page(
      <Result
        status={result.preCheck.eligible ? 'success' : 'warning'}
        title={t('wf.apply.done')}
        subTitle={`${p.title} · ${result.postName}`}
        data-testid="wf-apply-result"
        extra={
          <Alert
            type={result.preCheck.eligible ? 'success' : 'warning'}
            showIcon
            title={result.preCheck.eligible ? t('wf.apply.preOk') : t('wf.apply.preNo')}
            description={[...result.preCheck.reasons, result.preCheck.bonusReason].join('；')}
          />
        }
      />,
    );
  const req = p.requirements;
  return page(
    <Card title={`${p.districtName} · ${p.title}`}>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title={t('wf.apply.requirements', {
          minAge: req.minAge,
          maxAge: req.maxAge,
          ageOn: req.ageOn,
          edu: tc('wfEdu', req.minEducation),
          fullTime: req.fullTimeOnly ? t('wf.apply.fullTimeOnly') : '',
        })}
        description={
          <span>
            {t('wf.apply.bonus')}：
            {Object.entries(p.bonus).map(([k, n]) => (
              <Tag key={k} color="green">{`${tc('wfCert', k)} +${n}`}</Tag>
            ))}
          </span>
        }
      />
      {!p.open && <Alert type="warning" title={t('wf.apply.closed')} style={{ marginBottom: 16 }} />}
      {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} data-testid="wf-apply-error" />}
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        disabled={!p.open}
        initialValues={{ fullTime: true, education: 'bachelor' }}
      >
        <Form.Item name="postId" label={t('wf.post')} rules={[{ required: true }]}>
          <Select
            data-testid="wf-apply-post"
            options={p.posts.map((x) => ({ value: x.id, label: `${x.streetName} · ${x.name}（${t('wf.rec.quota', { n: x.quota })}）` }))}
          />
        </Form.Item>
        <Space wrap size="large">
          <Form.Item name="name" label={t('wf.name')} rules={[{ required: true }]}>
            <Input data-testid="wf-apply-name" />
          </Form.Item>
          <Form.Item name="idNumber" label={t('wf.idNumber')} rules={[{ required: true, min: 15 }]}>
            <Input data-testid="wf-apply-id" style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name="phone" label={t('wf.apply.phone')} rules={[{ required: true, min: 7 }]}>
            <Input data-testid="wf-apply-phone" />
          </Form.Item>
        </Space>
        <Space wrap size="large">
          <Form.Item name="education" label={t('wf.education')} rules={[{ required: true }]}>
            <Select style={{ width: 140 }} options={EDUCATIONS.map((e) => ({ value: e, label: tc('wfEdu', e) }))} />
          </Form.Item>
          <Form.Item name="major" label={t('wf.apply.major')}>
            <Input data-testid="wf-apply-major" />
          </Form.Item>
          <Form.Item name="fullTime" label={t('wf.apply.fullTime')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>
        <Form.Item label={t('wf.apply.certs')} extra={t('wf.apply.scanHint')}>
          {certs.map((c, i) => (
            <Space key={i} wrap style={{ marginBottom: 8 }}>
              <Select
                style={{ width: 180 }}
                value={c.kind}
                onChange={(kind) => setCerts(certs.map((x, j) => (j === i ? { ...x, kind } : x)))}
                options={CERTS.map((k) => ({ value: k, label: tc('wfCert', k) }))}
              />
              <DatePicker
                placeholder={t('wf.apply.issuedOn')}
                value={c.issuedOn}
                onChange={(d) => setCerts(certs.map((x, j) => (j === i ? { ...x, issuedOn: d ?? undefined } : x)))}
                data-testid={`wf-apply-cert-date-${i}`}
              />
              <Upload
                accept=".pdf,.jpg,.jpeg,.png"
                maxCount={1}
                showUploadList={false}
                beforeUpload={async (file) => {
                  if (file.size > MAX_SCAN || !/^(application\/pdf|image\/(jpeg|png))$/.test(file.type)) {
                    setError(t('wf.apply.scanHint'));
                    return Upload.LIST_IGNORE;
                  }
                  const dataBase64 = await toBase64(file);
                  setCerts((cur) =>
                    cur.map((x, j) => (j === i ? { ...x, file: { fileName: file.name, mime: file.type, dataBase64 } } : x)),
                  );
                  return false;
                }}
              >
                <Button icon={<UploadOutlined />} data-testid={`wf-apply-scan-${i}`}>
                  {c.file ? c.file.fileName : t('wf.apply.scan')}
                </Button>
              </Upload>
            </Space>
          ))}
          <div>
            <Button
              icon={<PlusOutlined />}
              disabled={certs.length >= 5}
              onClick={() => setCerts([...certs, { kind: 'social_worker' }])}
              data-testid="wf-apply-add-cert"
            >
              {t('wf.apply.addCert')}
            </Button>
          </div>
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="wf-apply-submit">
          {t('wf.apply.submit')}
        </Button>
      </Form>
    </Card>,
  );
}
