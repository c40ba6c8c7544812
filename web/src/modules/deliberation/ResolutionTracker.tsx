import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, DatePicker, Flex, Form, Input, List, Popover, Progress, Select, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useLang } from '../../app/LangContext';
import { delibApi, type Meeting, type Task } from './api';

const DECISION_COLORS: Record<string, string> = { adopted: 'green', rejected: 'red', deferred: 'orange' };

/** Resolutions with their follow-up tasks, each tracked to done. */
export function ResolutionTracker({ meeting: m }: { meeting: Meeting }) {
  const { t, tc } = useLang();
  const qc = useQueryClient();
  const refresh = () => void qc.invalidateQueries({ queryKey: ['deliberation'] });
  const [form] = Form.useForm<{ text: string; decision: string; agendaItemId?: string; task?: string; owner?: string; due?: Dayjs }>();
  const add = useMutation({
    mutationFn: (v: { text: string; decision: string; agendaItemId?: string; task?: string; owner?: string; due?: Dayjs }) =>
      delibApi.resolve(m.id, {
        text: v.text,
        decision: v.decision,
        agendaItemId: v.agendaItemId,
        tasks: v.task && v.owner && v.due ? [{ title: v.task, ownerName: v.owner, dueDate: v.due.format('YYYY-MM-DD') }] : [],
      }),
    onSuccess: () => (form.resetFields(), refresh()),
  });
  const tasks = m.resolutions.flatMap((r) => r.tasks);
  const done = tasks.filter((x) => x.status === 'done').length;
  return (
    <Card title={t('meeting.resolutions')} size="small" style={{ marginTop: 16 }} data-testid="resolutions">
      {tasks.length > 0 && (
        <div style={{ marginBottom: 8 }}>
          <Typography.Text type="secondary">{t('meeting.tasksProgress', { done, total: tasks.length })}</Typography.Text>
          <Progress percent={Math.round((done / tasks.length) * 100)} size="small" />
        </div>
      )}
      <List
        dataSource={m.resolutions}
        renderItem={(r) => (
          <List.Item>
            <div style={{ width: '100%' }}>
              <Flex gap={8} align="start">
                <Tag color={DECISION_COLORS[r.decision]}>{tc('decision', r.decision)}</Tag>
                <Typography.Text>{r.text}</Typography.Text>
              </Flex>
              {r.tasks.map((task) => (
                <TaskRow key={task.id} task={task} canManage={m.canManage} onDone={refresh} />
              ))}
            </div>
          </List.Item>
        )}
      />
      {m.canManage && m.status === 'held' && (
        <Form form={form} layout="vertical" onFinish={(v) => add.mutate(v)} initialValues={{ decision: 'adopted' }} style={{ marginTop: 8 }}>
          <Form.Item name="agendaItemId" label={t('meeting.forItem')}>
            <Select allowClear options={m.agenda.map((a) => ({ value: a.id, label: `${a.seq}. ${a.title}` }))} data-testid="resolution-item" />
          </Form.Item>
          <Form.Item name="text" label={t('meeting.resolutionText')} rules={[{ required: true, min: 2 }]}>
            <Input.TextArea rows={2} data-testid="resolution-text" />
          </Form.Item>
          <Form.Item name="decision" label={t('meeting.decision')}>
            <Select options={['adopted', 'rejected', 'deferred'].map((d) => ({ value: d, label: tc('decision', d) }))} />
          </Form.Item>
          <Flex gap={8} wrap>
            <Form.Item name="task" label={t('meeting.task')} style={{ flex: 2, minWidth: 180 }}>
              <Input />
            </Form.Item>
            <Form.Item name="owner" label={t('meeting.taskOwner')} style={{ flex: 1, minWidth: 120 }}>
              <Input />
            </Form.Item>
            <Form.Item name="due" label={t('meeting.taskDue')} style={{ flex: 1, minWidth: 140 }}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Flex>
          <Button type="primary" htmlType="submit" loading={add.isPending} data-testid="resolution-add">
            {t('meeting.addResolution')}
          </Button>
        </Form>
      )}
    </Card>
  );
}

function TaskRow({ task, canManage, onDone }: { task: Task; canManage: boolean; onDone: () => void }) {
  const { t, tc } = useLang();
  const [note, setNote] = useState('');
  const done = useMutation({ mutationFn: () => delibApi.done(task.id, { version: task.version, note }), onSuccess: onDone });
  return (
    <Flex justify="space-between" align="center" gap={8} style={{ marginTop: 6, paddingInlineStart: 12 }} wrap>
      <Typography.Text type={task.status === 'done' ? 'secondary' : undefined} delete={task.status === 'done'}>
        {task.title} · {task.ownerName} · {task.dueDate}
      </Typography.Text>
      {task.status === 'done' ? (
        <Tag color="green">{tc('taskStatus', 'done')}</Tag>
      ) : canManage ? (
        <Popover
          trigger="click"
          content={
            <Flex vertical gap={6}>
              <Input.TextArea rows={2} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('meeting.doneNote')} />
              <Button type="primary" size="small" disabled={!note.trim()} onClick={() => done.mutate()} loading={done.isPending}>
                {t('meeting.markDone')}
              </Button>
            </Flex>
          }
        >
          <Button size="small">{t('meeting.markDone')}</Button>
        </Popover>
      ) : (
        <Tag color="blue">{tc('taskStatus', 'open')}</Tag>
      )}
    </Flex>
  );
}
