import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Form, Input, InputNumber, List, Modal, Popconfirm, Space, Tag, Typography } from 'antd';
import { CheckOutlined, CloseOutlined, DownloadOutlined, PaperClipOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useLang } from '../../app/LangContext';
import { isApiError } from '../../app/api';
import { wfApi, type Application, type Plan } from './api';
import { wfExports } from './exports';

const NEXT: Record<string, string> = {
  draft: 'open',
  open: 'screening',
  screening: 'written',
  written: 'interview',
  interview: 'checks',
  checks: 'notice',
  notice: 'closed',
};

/** Runs a write, reports its outcome and refreshes the board. */
function useRun() {
  const { message } = App.useApp();
  const { t } = useLang();
  const qc = useQueryClient();
  return async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      message.success(t('wf.rec.saved'));
    } catch (e) {
      message.error(isApiError(e) ? e.message : String(e));
    } finally {
      void qc.invalidateQueries({ queryKey: ['wf'] });
    }
  };
}

/** The stage bar's action: move the plan on (the notice asks for its first day). */
export function AdvanceButton({ plan }: { plan: Plan }) {
  const { t, tc } = useLang();
  const run = useRun();
  const [start, setStart] = useState(dayjs());
  const to = NEXT[plan.stage];
  if (!to) return null;
  return (
    <Space wrap>
      {to === 'notice' && (
        <DatePicker
          value={start}
          onChange={(d) => d && setStart(d)}
          // The server refuses a back-dated notice; past days are not offered.
          disabledDate={(d) => d.isBefore(dayjs(), 'day')}
          placeholder={t('wf.rec.noticeStart')}
          data-testid="wf-rec-notice-start"
        />
      )}
      <Popconfirm
        title={t('wf.rec.advance', { stage: tc('wfStage', to) })}
        onConfirm={() =>
          run(() =>
            wfApi.advance(plan.id, { version: plan.version, to, ...(to === 'notice' ? { noticeStart: start.format('YYYY-MM-DD') } : {}) }),
          )
        }
      >
        <Button type="primary" data-testid="wf-rec-advance">
          {t('wf.rec.advance', { stage: tc('wfStage', to) })}
        </Button>
      </Popconfirm>
    </Space>
  );
}

/** Score entry for the written exam or the interview: one number per eligible candidate. */
export function ScoreEditor({ plan, apps }: { plan: Plan; apps: Application[] }) {
  const { t } = useLang();
  const run = useRun();
  const stage = plan.stage as 'written' | 'interview';
  const sitting = apps.filter((a) => a.status === 'eligible');
  const [draft, setDraft] = useState<Record<string, number | null>>({});
  const value = (a: Application) => (a.id in draft ? draft[a.id] : stage === 'written' ? a.writtenScore : a.interviewScore);
  const save = () =>
    run(() =>
      wfApi.scores(
        plan.id,
        stage,
        sitting.filter((a) => value(a) != null).map((a) => ({ applicationId: a.id, score: Number(value(a)) })),
      ),
    ).then(() => setDraft({}));
  return (
    <Card
      size="small"
      title={`${t(stage === 'written' ? 'wf.rec.written' : 'wf.rec.interview')} · ${t('wf.rec.saveScores')}`}
      data-testid="wf-rec-scores"
    >
      <Space wrap size={[16, 8]}>
        {sitting.map((a) => (
          <Space key={a.id} size={4}>
            <span>{a.name}</span>
            {a.bonusPoints > 0 && stage === 'written' && <Tag color="green">+{a.bonusPoints}</Tag>}
            <InputNumber
              min={0}
              max={100}
              step={0.5}
              value={value(a)}
              onChange={(v) => setDraft({ ...draft, [a.id]: v })}
              data-testid={`wf-score-${a.name}`}
              style={{ width: 90 }}
            />
          </Space>
        ))}
      </Space>
      <div style={{ marginTop: 12 }}>
        <Button type="primary" onClick={() => void save()} data-testid="wf-rec-save-scores">
          {t('wf.rec.saveScores')}
        </Button>
      </div>
    </Card>
  );
}

/** The per-candidate action of the current stage (screening review, checks, objection). */
export function RowActions({ plan, a }: { plan: Plan; a: Application }) {
  const { t } = useLang();
  const run = useRun();
  const [modal, setModal] = useState<'screen' | 'objection' | null>(null);
  const [eligible, setEligible] = useState(true);
  const [form] = Form.useForm();
  const files = a.files.map((f) => (
    <Button
      key={f.id}
      size="small"
      type="link"
      icon={<PaperClipOutlined />}
      onClick={() => void wfApi.applicationFile(a.id, f.id, f.fileName)}
    >
      {f.fileName}
    </Button>
  ));
  let actions: React.ReactNode = null;
  if (plan.stage === 'screening' && ['eligible', 'ineligible'].includes(a.status))
    actions = (
      <Button
        size="small"
        onClick={() => {
          setEligible(a.status !== 'eligible');
          setModal('screen');
        }}
        data-testid={`wf-screen-${a.name}`}
      >
        {a.status === 'eligible' ? t('wf.rec.reject') : t('wf.rec.pass')}
      </Button>
    );
  if (plan.stage === 'checks' && a.status === 'selected')
    actions = (
      <Space size={4} wrap>
        {(['medical', 'background'] as const).map((k) =>
          a[k] ? (
            <Tag
              key={k}
              color={a[k] === 'pass' ? 'green' : 'red'}
            >{`${t(`wf.rec.${k}`)} ${a[k] === 'pass' ? t('wf.rec.pass') : t('wf.rec.reject')}`}</Tag>
          ) : (
            <Space.Compact key={k}>
              <Button
                size="small"
                icon={<CheckOutlined />}
                onClick={() => void run(() => wfApi.checks(a.id, { version: a.version, [k]: 'pass' }))}
                data-testid={`wf-${k}-pass-${a.name}`}
              >
                {t(`wf.rec.${k}`)}
              </Button>
              <Popconfirm
                title={`${t(`wf.rec.${k}`)} ${t('wf.rec.reject')}`}
                onConfirm={() => run(() => wfApi.checks(a.id, { version: a.version, [k]: 'fail' }))}
              >
                <Button size="small" danger icon={<CloseOutlined />} />
              </Popconfirm>
            </Space.Compact>
          ),
        )}
      </Space>
    );
  if (plan.stage === 'notice' && a.status === 'notice')
    actions = (
      <Button size="small" onClick={() => setModal('objection')} data-testid={`wf-objection-${a.name}`}>
        {t('wf.rec.objection')}
      </Button>
    );
  return (
    <Space size={4} wrap>
      {actions}
      {files}
      <Modal
        open={modal !== null}
        title={
          modal === 'screen' ? `${a.name} · ${eligible ? t('wf.rec.pass') : t('wf.rec.reject')}` : `${a.name} · ${t('wf.rec.objection')}`
        }
        onCancel={() => setModal(null)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{ receivedOn: dayjs() }}
          onFinish={(v: { reason?: string; receivedOn?: dayjs.Dayjs; content?: string }) =>
            run(() =>
              modal === 'screen'
                ? wfApi.screen(a.id, { version: a.version, eligible, reason: v.reason! })
                : wfApi.addObjection(a.id, { receivedOn: v.receivedOn!.format('YYYY-MM-DD'), content: v.content! }),
            ).then(() => setModal(null))
          }
        >
          {modal === 'screen' ? (
            <Form.Item name="reason" label={t('wf.rec.reason')} rules={[{ required: true, min: 2 }]}>
              <Input.TextArea rows={2} data-testid="wf-screen-reason" />
            </Form.Item>
          ) : (
            <>
              <Form.Item name="receivedOn" label={t('wf.rec.receivedOn')} rules={[{ required: true }]}>
                <DatePicker
                  disabledDate={(d) =>
                    (!!plan.noticeStart && d.isBefore(plan.noticeStart, 'day')) || (!!plan.noticeEnd && d.isAfter(plan.noticeEnd, 'day'))
                  }
                />
              </Form.Item>
              <Form.Item name="content" label={t('wf.rec.content')} rules={[{ required: true, min: 4 }]}>
                <Input.TextArea rows={3} data-testid="wf-objection-content" />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </Space>
  );
}

/** Objections raised during the notice, each decided with a finding. */
export function ObjectionsCard({ plan }: { plan: Plan }) {
  const { t } = useLang();
  const run = useRun();
  const [notes, setNotes] = useState<Record<string, string>>({});
  const q = useQuery({ queryKey: ['wf', 'objections', plan.id], queryFn: () => wfApi.objections(plan.id) });
  if (!q.data?.length) return null;
  return (
    <Card
      size="small"
      title={t('wf.rec.objections')}
      data-testid="wf-rec-objections"
      extra={
        <Button
          size="small"
          icon={<DownloadOutlined />}
          onClick={() => void wfExports.objections(plan.id)}
          data-testid="wf-rec-objections-export"
        >
          {t('wf.exportXlsx')}
        </Button>
      }
    >
      <List
        dataSource={q.data}
        renderItem={(o) => (
          <List.Item
            actions={
              o.finding
                ? [
                    <Tag key="f" color={o.finding === 'upheld' ? 'red' : 'green'}>
                      {t(o.finding === 'upheld' ? 'wf.rec.uphold' : 'wf.rec.dismiss')}
                    </Tag>,
                  ]
                : (['upheld', 'dismissed'] as const).map((f) => (
                    <Button
                      key={f}
                      size="small"
                      danger={f === 'upheld'}
                      disabled={(notes[o.id] ?? '').length < 2}
                      onClick={() => void run(() => wfApi.decideObjection(o.id, { version: o.version, finding: f, note: notes[o.id] }))}
                      data-testid={`wf-objection-${f}`}
                    >
                      {t(f === 'upheld' ? 'wf.rec.uphold' : 'wf.rec.dismiss')}
                    </Button>
                  ))
            }
          >
            <List.Item.Meta
              title={`${o.receivedOn} · ${o.name}`}
              description={
                <>
                  <div>{o.content}</div>
                  {o.finding ? (
                    <Typography.Text type="secondary">{o.findingNote}</Typography.Text>
                  ) : (
                    <Input
                      size="small"
                      placeholder={t('wf.rec.finding')}
                      value={notes[o.id] ?? ''}
                      onChange={(e) => setNotes({ ...notes, [o.id]: e.target.value })}
                      style={{ marginTop: 6, maxWidth: 420 }}
                      data-testid="wf-objection-note"
                    />
                  )}
                </>
              }
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
