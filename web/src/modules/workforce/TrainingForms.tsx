import { useQueryClient } from '@tanstack/react-query';
import { App, DatePicker, Form, Input, InputNumber, Modal, Select, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useLang } from '../../app/LangContext';
import { isApiError } from '../../app/api';
import { wfMore, type Worker } from './api';

export const TRAINING_KINDS = ['onboarding', 'lingyan', 'liangyan', 'chuyan', 'academy', 'external'] as const;

/** What a training form is for: a new programme, a session of one, its attendance, or a mentor pair. */
export type TrainingForm =
  | { kind: 'programme' }
  | { kind: 'session'; programmeId: string; programmeName: string }
  | { kind: 'attendance'; sessionId: string; title: string; onboarding: boolean }
  | { kind: 'mentor' };

const day = (d: Dayjs) => d.format('YYYY-MM-DD');

/** One modal for the training forms (W5); the server's refusal shows in the form's field or as a message. */
export default function TrainingModal({
  form: open,
  onClose,
  districtCode,
  year,
  workers,
}: {
  form: TrainingForm | null;
  onClose: () => void;
  districtCode: string;
  year: number;
  workers: Worker[];
}) {
  const { t, tc } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const workerOptions = workers.map((w) => ({
    value: w.id,
    label: `${w.name}（${w.communityName}）`,
    name: w.name,
    onboarded: w.onboardedOn !== null,
  }));

  const submit = async (v: Record<string, unknown>) => {
    if (!open) return;
    try {
      if (open.kind === 'programme')
        await wfMore.createProgramme({ districtCode, name: v.name as string, kind: v.kind as string, year: v.year as number });
      if (open.kind === 'session')
        await wfMore.createSession(open.programmeId, {
          title: v.title as string,
          startOn: day(v.startOn as Dayjs),
          days: v.days as number,
          hours: v.hours as number,
          ...(v.place ? { place: v.place as string } : {}),
        });
      if (open.kind === 'mentor')
        await wfMore.addMentor({ mentorId: v.mentorId as string, menteeId: v.menteeId as string, startOn: day(v.startOn as Dayjs) });
      if (open.kind === 'attendance') {
        const r = await wfMore.attendance(open.sessionId, v.workerIds as string[]);
        message.success(t('wf.tr.recorded', { n: r.recorded }));
      } else message.success(t('wf.rec.saved'));
      onClose();
      void qc.invalidateQueries({ queryKey: ['wf'] });
    } catch (e) {
      const problems = isApiError(e) ? ((e.details as { problems?: { field: string; reason: string }[] })?.problems ?? []) : [];
      const fields = Object.keys(form.getFieldsValue());
      const known = problems.filter((p) => fields.includes(p.field));
      if (known.length) form.setFields(known.map((p) => ({ name: p.field, errors: [p.reason] })));
      else message.error(isApiError(e) ? e.message : String(e));
    }
  };

  const title = !open
    ? ''
    : open.kind === 'programme'
      ? t('wf.tr.newProgramme')
      : open.kind === 'session'
        ? `${open.programmeName} · ${t('wf.tr.newSession')}`
        : open.kind === 'attendance'
          ? `${open.title} · ${t('wf.tr.attendance')}`
          : t('wf.tr.newMentor');
  return (
    <Modal
      open={open !== null}
      title={title}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'wf-tr-ok' } as Record<string, string>}
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={(v) => void submit(v)}
        initialValues={{ kind: 'onboarding', year, startOn: dayjs(), days: 1, hours: 8 }}
      >
        {open?.kind === 'programme' && (
          <>
            <Form.Item name="name" label={t('wf.tr.programmeName')} rules={[{ required: true, min: 2, max: 60 }]}>
              <Input data-testid="wf-tr-programme-name" />
            </Form.Item>
            <Form.Item name="kind" label={t('wf.hr.kind')}>
              <Select options={TRAINING_KINDS.map((k) => ({ value: k, label: tc('wfTraining', k) }))} data-testid="wf-tr-programme-kind" />
            </Form.Item>
            <Form.Item name="year" label={t('wf.hr.year')}>
              <InputNumber min={2000} max={2100} />
            </Form.Item>
          </>
        )}
        {open?.kind === 'session' && (
          <>
            <Form.Item name="title" label={t('wf.tr.sessionTitle')} rules={[{ required: true, min: 2, max: 80 }]}>
              <Input data-testid="wf-tr-session-title" />
            </Form.Item>
            <Form.Item name="startOn" label={t('wf.tr.startOn')} rules={[{ required: true }]}>
              <DatePicker data-testid="wf-tr-session-start" />
            </Form.Item>
            <Form.Item name="days" label={t('wf.tr.days')} rules={[{ required: true }]} extra={t('wf.tr.daysHint')}>
              <InputNumber min={0.5} max={60} step={0.5} data-testid="wf-tr-session-days" />
            </Form.Item>
            <Form.Item name="hours" label={t('wf.tr.hours')} rules={[{ required: true }]}>
              <InputNumber min={1} max={500} data-testid="wf-tr-session-hours" />
            </Form.Item>
            <Form.Item name="place" label={t('wf.tr.place')}>
              <Input />
            </Form.Item>
          </>
        )}
        {open?.kind === 'attendance' && (
          <Form.Item
            name="workerIds"
            label={t('wf.tr.attendees')}
            rules={[{ required: true }]}
            extra={open.onboarding ? t('wf.tr.onboardingHint') : undefined}
          >
            <Select
              mode="multiple"
              showSearch
              optionFilterProp="name"
              options={workerOptions}
              optionRender={(o) => (
                <span>
                  {o.label} {!o.data.onboarded && <Tag color="warning">{t('wf.tr.notOnboarded')}</Tag>}
                </span>
              )}
              data-testid="wf-tr-attendees"
            />
          </Form.Item>
        )}
        {open?.kind === 'mentor' && (
          <>
            <Form.Item name="mentorId" label={t('wf.tr.mentor')} rules={[{ required: true }]}>
              <Select showSearch optionFilterProp="name" options={workerOptions} data-testid="wf-tr-mentor" />
            </Form.Item>
            <Form.Item name="menteeId" label={t('wf.tr.mentee')} rules={[{ required: true }]}>
              <Select showSearch optionFilterProp="name" options={workerOptions} data-testid="wf-tr-mentee" />
            </Form.Item>
            <Form.Item name="startOn" label={t('wf.tr.startOn')} rules={[{ required: true }]}>
              <DatePicker />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}
