import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useLang } from '../../app/LangContext';
import { isApiError } from '../../app/api';
import { problemsOf, wfApi, type Archive } from './api';

type Kind = 'cert' | 'post' | 'appraisal' | 'care';
const CERTS = ['assistant_social_worker', 'social_worker', 'senior_social_worker', 'counsellor', 'other'];
const POSTS = ['dual_head', 'head', 'deputy', 'staff'];
const RESULTS = ['excellent', 'competent', 'basic', 'incompetent'];
const MAX_SCAN = 700_000;

/** HR's edits of an archive (一人一档): certificates with scans, post changes, appraisals, care. */
export default function ArchiveActions({ a }: { a: Archive }) {
  const { t, tc } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [open, setOpen] = useState<Kind | null>(null);
  const [scan, setScan] = useState<{ name: string; type: string; base64: string } | null>(null);
  const [form] = Form.useForm();
  const day = (d: Dayjs) => d.format('YYYY-MM-DD');
  const year = dayjs().year();

  const initialFor = (k: Kind) => ({
    kind: k === 'care' ? 'health_check' : 'social_worker',
    post: a.post ?? 'staff',
    title: a.title,
    year: k === 'appraisal' ? year - 1 : year,
    result: 'competent',
    startOn: dayjs(),
    issuedOn: dayjs(),
    checkedOn: dayjs(),
  });

  const submit = async (v: Record<string, unknown>) => {
    try {
      if (open === 'cert')
        await wfApi.addCertificate(a.id, {
          kind: v.kind,
          issuedOn: day(v.issuedOn as Dayjs),
          ...(v.number ? { number: v.number } : {}),
          ...(scan ? { scan } : {}),
        });
      if (open === 'post')
        await wfApi.changePost(a.id, {
          version: a.version,
          post: v.post,
          title: v.title || undefined,
          startOn: day(v.startOn as Dayjs),
          reason: v.reason,
        });
      if (open === 'appraisal')
        await wfApi.setAppraisal(a.id, v.year as number, { result: v.result as string, note: (v.note as string) || undefined });
      if (open === 'care') {
        // A health check is recorded for the year it was done in (an earlier year's too, with its day).
        const checked = v.kind === 'health_check' ? (v.checkedOn as Dayjs | undefined) : undefined;
        await wfApi.addCare(a.id, {
          kind: v.kind as string,
          year: checked ? checked.year() : (v.year as number),
          ...(checked ? { checkedOn: day(checked) } : {}),
          ...(v.amount && v.kind === 'care_fund' ? { amountFen: Math.round(Number(v.amount) * 100) } : {}),
          ...(v.reason ? { reason: v.reason as string } : {}),
        });
      }
      message.success(t('wf.rec.saved'));
      setOpen(null);
      setScan(null);
      void qc.invalidateQueries({ queryKey: ['wf'] });
    } catch (e) {
      // The server's field reasons (e.g. a care-fund application without an amount) say what to fix.
      message.error(isApiError(e) ? [e.message, ...Object.values(problemsOf(e))].join('：') : String(e));
    }
  };

  const title: Record<Kind, string> = {
    cert: t('wf.hr.addCert'),
    post: t('wf.hr.changePost'),
    appraisal: t('wf.hr.appraisal'),
    care: t('wf.hr.care'),
  };
  return (
    <Space wrap data-testid="wf-archive-actions">
      {(Object.keys(title) as Kind[]).map((k) => (
        <Button
          key={k}
          onClick={() => {
            // One form instance serves the four dialogs: values left by the last one (the
            // certificate's kind, say) would outlive their dialog, so each opens on its own.
            form.resetFields();
            form.setFieldsValue(initialFor(k));
            setOpen(k);
          }}
          data-testid={`wf-hr-${k}`}
        >
          {title[k]}
        </Button>
      ))}
      <Modal
        open={open !== null}
        title={open ? `${a.name} · ${title[open]}` : ''}
        onCancel={() => setOpen(null)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          onFinish={(v) => void submit(v)}
          initialValues={open ? initialFor(open) : undefined}
        >
          {open === 'cert' && (
            <>
              <Form.Item name="kind" label={t('wf.certificate')}>
                <Select options={CERTS.map((c) => ({ value: c, label: tc('wfCert', c) }))} />
              </Form.Item>
              <Form.Item name="number" label={t('wf.hr.number')}>
                <Input data-testid="wf-hr-cert-number" />
              </Form.Item>
              <Form.Item name="issuedOn" label={t('wf.apply.issuedOn')} rules={[{ required: true }]}>
                <DatePicker />
              </Form.Item>
              <Upload
                accept=".pdf,.jpg,.jpeg,.png"
                maxCount={1}
                beforeUpload={(file) => {
                  if (file.size > MAX_SCAN) {
                    message.error('≤ 700KB');
                    return Upload.LIST_IGNORE;
                  }
                  const r = new FileReader();
                  r.onload = () => setScan({ name: file.name, type: file.type, base64: String(r.result).split(',')[1] ?? '' });
                  r.readAsDataURL(file);
                  return false;
                }}
              >
                <Button icon={<UploadOutlined />}>{t('wf.apply.scan')}</Button>
              </Upload>
            </>
          )}
          {open === 'post' && (
            <>
              <Form.Item name="post" label={t('wf.post')}>
                <Select options={POSTS.map((p) => ({ value: p, label: tc('wfPost', p) }))} data-testid="wf-hr-post-select" />
              </Form.Item>
              <Form.Item name="title" label={t('wf.title')}>
                <Input />
              </Form.Item>
              <Form.Item name="startOn" label={t('wf.hr.startOn')} rules={[{ required: true }]}>
                <DatePicker />
              </Form.Item>
              <Form.Item name="reason" label={t('wf.hr.reason')} rules={[{ required: true, min: 2 }]}>
                <Input data-testid="wf-hr-post-reason" />
              </Form.Item>
            </>
          )}
          {open === 'appraisal' && (
            <Form.Item name="year" label={t('wf.hr.year')}>
              <InputNumber min={1990} max={year + 1} />
            </Form.Item>
          )}
          {open === 'appraisal' && (
            <>
              <Form.Item name="result" label={t('wf.hr.result')}>
                <Select options={RESULTS.map((r) => ({ value: r, label: tc('wfAppraisal', r) }))} data-testid="wf-hr-appraisal-result" />
              </Form.Item>
              <Form.Item name="note" label={t('wf.hr.note')}>
                <Input />
              </Form.Item>
            </>
          )}
          {open === 'care' && (
            <>
              <Form.Item name="kind" label={t('wf.hr.kind')}>
                <Select
                  options={[
                    { value: 'health_check', label: t('wf.hr.healthCheck') },
                    { value: 'care_fund', label: t('wf.hr.careFund') },
                  ]}
                />
              </Form.Item>
              {/* A health check is recorded with its day (its year follows); a care-fund application with a year and an amount. */}
              <Form.Item noStyle shouldUpdate={(a, b) => a.kind !== b.kind}>
                {({ getFieldValue }) =>
                  getFieldValue('kind') === 'health_check' ? (
                    <Form.Item name="checkedOn" label={t('wf.hr.checkedOn')} rules={[{ required: true }]}>
                      <DatePicker data-testid="wf-hr-care-checked-on" disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
                    </Form.Item>
                  ) : (
                    <>
                      <Form.Item name="year" label={t('wf.hr.year')}>
                        <InputNumber min={1990} max={year + 1} />
                      </Form.Item>
                      <Form.Item name="amount" label={t('wf.hr.amount')}>
                        <InputNumber min={0} />
                      </Form.Item>
                    </>
                  )
                }
              </Form.Item>
              <Form.Item name="reason" label={t('wf.hr.note')}>
                <Input />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </Space>
  );
}
