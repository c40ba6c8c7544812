import { useEffect, useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, DatePicker, Form, Input, InputNumber, Modal, Radio, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useLang } from '../../app/LangContext';
import { isApiError } from '../../app/api';
import { problemsOf, wfApi, wfCare, yuan, type AwardInput } from './api';

export const HONOUR_KINDS = ['award', 'service_certificate', 'service_medal', 'gengyun'] as const;

interface Values {
  target: 'individual' | 'collective';
  workerId?: string;
  communityCode?: string;
  kind: string;
  title?: string;
  year: number;
  amount: number;
  awardedOn: Dayjs;
  awardedBy?: string;
}

/** At most two decimals and not negative: what a yuan amount may look like before the server checks its cap. */
const yuanFormatOk = (v: unknown) =>
  v === undefined || v === null || (typeof v === 'number' && v >= 0 && Math.abs(v * 100 - Math.round(v * 100)) < 1e-6);

/**
 * Records an honour or a monetary award (表彰奖励) for a worker or a community (collective). The
 * caps (50 000 yuan individual, 100 000 collective) are the server's rule: the form shows them
 * as a hint and, when the server refuses an amount, its message beside the amount.
 */
export default function AwardForm({
  initial,
  caps,
  onClose,
}: {
  initial: Partial<AwardInput> | null;
  caps?: { individual: number; collective: number };
  onClose: () => void;
}) {
  const { t, tc } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [refusal, setRefusal] = useState<{ message: string; reason?: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const target = Form.useWatch('target', form);
  const workers = useQuery({ queryKey: ['wf', 'workers', {}], queryFn: () => wfApi.workers({}), enabled: initial !== null });
  const communities = useMemo(() => {
    const m = new Map<string, string>();
    for (const w of workers.data ?? []) m.set(w.communityCode, w.communityName);
    return [...m].map(([value, label]) => ({ value, label }));
  }, [workers.data]);
  const fixedWorker = !!initial?.workerId;

  useEffect(() => {
    if (initial) setRefusal(null);
  }, [initial]);

  const submit = async (v: Values) => {
    setRefusal(null);
    setSaving(true);
    const collective = v.target === 'collective';
    const body: AwardInput = {
      ...(collective ? { communityCode: v.communityCode } : { workerId: v.workerId }),
      kind: collective ? 'award' : v.kind,
      year: v.year,
      amountFen: Math.round((v.amount ?? 0) * 100),
      awardedOn: v.awardedOn.format('YYYY-MM-DD'),
      ...(v.title?.trim() ? { title: v.title.trim() } : {}),
      ...(v.awardedBy?.trim() ? { awardedBy: v.awardedBy.trim() } : {}),
    };
    try {
      await wfCare.award(body);
      message.success(t('wf.aw.saved', { title: body.title ?? tc('wfHonour', body.kind) }));
      void qc.invalidateQueries({ queryKey: ['wf'] });
      onClose();
    } catch (e) {
      if (!isApiError(e)) return setRefusal({ message: String(e) });
      const reason = (e.details as { reason?: string } | undefined)?.reason;
      if (e.code === 'AWARD_TOO_LARGE') form.setFields([{ name: 'amount', errors: [reason ?? e.message] }]);
      const problems = problemsOf(e);
      const known = Object.entries(problems).filter(([f]) => f in form.getFieldsValue());
      form.setFields(known.map(([name, err]) => ({ name: name as keyof Values, errors: [err] })));
      setRefusal({ message: e.message, reason });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={initial !== null}
      title={t('wf.aw.new')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'wf-award-ok' } as Record<string, string>}
    >
      {refusal && (
        <Alert
          style={{ marginBottom: 12 }}
          type="error"
          showIcon
          title={refusal.message}
          description={refusal.reason}
          data-testid="wf-award-refusal"
        />
      )}
      <Form<Values>
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={(v) => void submit(v)}
        initialValues={{
          target: 'individual',
          workerId: initial?.workerId,
          kind: initial?.kind ?? 'award',
          title: initial?.title,
          year: initial?.year ?? new Date().getFullYear(),
          amount: 0,
          awardedOn: dayjs(),
        }}
      >
        <Form.Item name="target" label={t('wf.aw.target')}>
          <Radio.Group disabled={fixedWorker} data-testid="wf-award-target">
            <Radio value="individual">{t('wf.aw.individual')}</Radio>
            <Radio value="collective" data-testid="wf-award-collective">
              {t('wf.aw.collective')}
            </Radio>
          </Radio.Group>
        </Form.Item>
        {target !== 'collective' ? (
          <Form.Item name="workerId" label={t('wf.aw.worker')} rules={[{ required: true }]}>
            <Select
              showSearch
              optionFilterProp="name"
              disabled={fixedWorker}
              loading={workers.isLoading}
              options={(workers.data ?? []).map((w) => ({ value: w.id, name: w.name, label: `${w.name}（${w.communityName}）` }))}
              data-testid="wf-award-worker"
            />
          </Form.Item>
        ) : (
          <Form.Item name="communityCode" label={t('wf.aw.community')} rules={[{ required: true }]}>
            <Select showSearch optionFilterProp="label" options={communities} data-testid="wf-award-community" />
          </Form.Item>
        )}
        {target !== 'collective' && (
          <Form.Item name="kind" label={t('wf.hr.kind')}>
            <Select
              disabled={fixedWorker}
              options={HONOUR_KINDS.map((k) => ({ value: k, label: tc('wfHonour', k) }))}
              data-testid="wf-award-kind-field"
            />
          </Form.Item>
        )}
        <Form.Item name="title" label={t('wf.aw.title')} rules={[{ max: 60 }]}>
          <Input placeholder={tc('wfHonour', 'award')} data-testid="wf-award-title" />
        </Form.Item>
        <Form.Item
          name="amount"
          label={t('wf.aw.amount')}
          extra={caps ? t('wf.aw.amountHint', { individual: yuan(caps.individual), collective: yuan(caps.collective) }) : undefined}
          rules={[
            { required: true },
            { validator: (_, v) => (yuanFormatOk(v) ? Promise.resolve() : Promise.reject(new Error(t('wf.aw.amountFormat')))) },
          ]}
        >
          <InputNumber style={{ width: 200 }} step={100} data-testid="wf-award-amount" />
        </Form.Item>
        <Form.Item name="year" label={t('wf.aw.year')} rules={[{ required: true }]}>
          <InputNumber min={1990} max={2100} />
        </Form.Item>
        <Form.Item name="awardedOn" label={t('wf.aw.awardedOn')} rules={[{ required: true }]}>
          <DatePicker data-testid="wf-award-date" />
        </Form.Item>
        <Form.Item name="awardedBy" label={t('wf.aw.awardedBy')} rules={[{ max: 60 }]}>
          <Input data-testid="wf-award-by" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
