import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Empty, Flex, Form, Input, InputNumber, QRCode, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { servicesApi } from '../services/api';
import { errorText, volunteeringApi, todayCn, type Post, type Project } from './api';

const fmt = (iso: string) => new Date(iso).toLocaleString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' }).slice(0, -3);

/** The venue's QR: a volunteer's phone camera opens the check-in page with the project's code. */
export const checkinUrl = (p: { id: string; checkinCode: string }) =>
  `${window.location.origin}/volunteering/checkin/${p.id}?code=${p.checkinCode}`;

/** The community the manager works in (the catalogue answers with it), for new projects and posts. */
export function useMyCommunity() {
  return useQuery({ queryKey: ['services', 'catalogue'], queryFn: servicesApi.catalogue }).data?.community;
}

export function ProjectsTab() {
  const { t } = useLang();
  const { can } = useAuth();
  const projects = useQuery({ queryKey: ['vol', 'projects'], queryFn: volunteeringApi.projects });
  return (
    <Flex vertical gap={12}>
      {can('volunteer.manage') && <NewProject />}
      {!projects.data && <Card loading />}
      {projects.data && !projects.data.items.length && <Empty description={t('vol.noProjects')} />}
      {projects.data?.items.map((p) => (
        <ProjectCard key={p.id} project={p} />
      ))}
    </Flex>
  );
}

function NewProject() {
  const { t } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const community = useMyCommunity();
  const [form] = Form.useForm<{ title: string; description?: string; when: [Dayjs, Dayjs]; slots: number }>();
  const submit = async (v: { title: string; description?: string; when: [Dayjs, Dayjs]; slots: number }) => {
    if (!community) return;
    try {
      await volunteeringApi.createProject({
        communityCode: community.code,
        title: v.title,
        description: v.description,
        startsAt: v.when[0].toISOString(),
        endsAt: v.when[1].toISOString(),
        slots: v.slots,
      });
      message.success(t('vol.projectPublished'));
      form.resetFields();
      void qc.invalidateQueries({ queryKey: ['vol', 'projects'] });
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <Card size="small" title={t('vol.newProject')}>
      <Form form={form} layout="inline" onFinish={submit} initialValues={{ slots: 20 }} data-testid="project-form">
        <Form.Item name="title" rules={[{ required: true, min: 2 }]}>
          <Input placeholder={t('vol.projectTitle')} data-testid="project-title" />
        </Form.Item>
        <Form.Item name="when" rules={[{ required: true }]}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" data-testid="project-when" />
        </Form.Item>
        <Form.Item name="slots" label={t('vol.slots')}>
          <InputNumber min={1} max={10000} />
        </Form.Item>
        <Form.Item name="description">
          <Input placeholder={t('vol.projectDescription')} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('vol.publish')}
        </Button>
      </Form>
    </Card>
  );
}

function ProjectCard({ project: p }: { project: Project }) {
  const { t } = useLang();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [code, setCode] = useState('');
  const run = async (fn: () => Promise<unknown>, ok: string) => {
    try {
      await fn();
      message.success(ok);
      void qc.invalidateQueries({ queryKey: ['vol', 'projects'] });
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const full = p.signedUp >= p.slots;
  return (
    <Card size="small" data-testid={`project-${p.title}`}>
      <Flex justify="space-between" wrap gap={12}>
        <div style={{ flex: 1, minWidth: 220 }}>
          <Typography.Text strong>{p.title}</Typography.Text>
          <div>
            <Typography.Text type="secondary">
              {fmt(p.startsAt)} – {fmt(p.endsAt)}
            </Typography.Text>
          </div>
          {p.description && <Typography.Paragraph style={{ margin: '4px 0' }}>{p.description}</Typography.Paragraph>}
          <Tag color={full ? 'red' : 'blue'} data-testid="project-slots">
            {t('vol.signedUp', { n: p.signedUp, slots: p.slots })}
          </Tag>
          <Flex gap={8} wrap style={{ marginTop: 8 }}>
            {can('order.take') && (
              <Button
                size="small"
                disabled={full}
                onClick={() => run(() => volunteeringApi.signUp(p.id), t('vol.signedUpOk'))}
                data-testid="project-signup"
              >
                {t('vol.signUp')}
              </Button>
            )}
            {can('order.take') && (
              <>
                <Input
                  size="small"
                  style={{ width: 120 }}
                  value={code}
                  onChange={(e) => setCode(e.target.value)}
                  placeholder={t('vol.code')}
                />
                <Button
                  size="small"
                  disabled={!code}
                  onClick={() => run(() => volunteeringApi.check(p.id, 'in', code), t('vol.checkedIn'))}
                >
                  {t('vol.checkIn')}
                </Button>
                <Button
                  size="small"
                  disabled={!code}
                  onClick={() => run(() => volunteeringApi.check(p.id, 'out', code), t('vol.checkedOut'))}
                >
                  {t('vol.checkOut')}
                </Button>
              </>
            )}
            {p.checkinCode && (
              <Button
                size="small"
                type="primary"
                data-testid="project-confirm"
                onClick={async () => {
                  try {
                    const r = await volunteeringApi.confirmHours(p.id);
                    message.success(t('vol.hoursConfirmed', { n: r.confirmed, hours: r.hours }));
                    void qc.invalidateQueries({ queryKey: ['vol'] });
                  } catch (e) {
                    message.error(errorText(e));
                  }
                }}
              >
                {t('vol.confirmHours')}
              </Button>
            )}
          </Flex>
        </div>
        {p.checkinCode && (
          <Flex vertical align="center" data-testid="project-qr">
            <QRCode value={checkinUrl({ id: p.id, checkinCode: p.checkinCode })} size={132} />
            <Typography.Text type="secondary">
              {t('vol.qrHint')} · {p.checkinCode}
            </Typography.Text>
          </Flex>
        )}
      </Flex>
    </Card>
  );
}

export function PostsTab() {
  const { t } = useLang();
  const { can } = useAuth();
  const posts = useQuery({ queryKey: ['vol', 'posts'], queryFn: volunteeringApi.posts });
  return (
    <Flex vertical gap={12}>
      {can('volunteer.manage') && <NewPost />}
      {!posts.data && <Card loading />}
      {posts.data && !posts.data.items.length && <Empty description={t('vol.noPosts')} />}
      {posts.data?.items.map((p) => (
        <PostCard key={p.id} post={p} />
      ))}
    </Flex>
  );
}

function NewPost() {
  const { t } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const community = useMyCommunity();
  const [form] = Form.useForm<{ title: string; description?: string; houses?: string }>();
  const submit = async (v: { title: string; description?: string; houses?: string }) => {
    if (!community) return;
    try {
      const targetHouses = (v.houses ?? '')
        .split(/[\s,，、]+/)
        .map((s) => s.trim())
        .filter(Boolean);
      await volunteeringApi.createPost({ communityCode: community.code, title: v.title, description: v.description, targetHouses });
      message.success(t('vol.postCreated'));
      form.resetFields();
      void qc.invalidateQueries({ queryKey: ['vol', 'posts'] });
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <Card size="small" title={t('vol.newPost')}>
      <Form form={form} layout="inline" onFinish={submit}>
        <Form.Item name="title" rules={[{ required: true, min: 2 }]}>
          <Input placeholder={t('vol.postTitle')} />
        </Form.Item>
        <Form.Item name="description">
          <Input placeholder={t('vol.postDescription')} />
        </Form.Item>
        <Form.Item name="houses">
          <Input placeholder={t('vol.targetHouses')} style={{ minWidth: 220 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('vol.createPost')}
        </Button>
      </Form>
    </Card>
  );
}

function PostCard({ post: p }: { post: Post }) {
  const { t } = useLang();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [plan, setPlan] = useState('');
  const [note, setNote] = useState('');
  const run = async (fn: () => Promise<unknown>, ok: string, after: () => void) => {
    try {
      await fn();
      message.success(ok);
      after();
      void qc.invalidateQueries({ queryKey: ['vol', 'posts'] });
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <Card size="small" data-testid={`post-${p.title}`}>
      <Flex justify="space-between" wrap gap={8}>
        <Typography.Text strong>{p.title}</Typography.Text>
        {p.claimedAt ? (
          <Tag color="green" data-testid="post-state">
            {t('vol.claimedBy', { name: p.memberName ?? '' })}
          </Tag>
        ) : (
          <Tag color="blue" data-testid="post-state">
            {t('vol.unclaimed')}
          </Tag>
        )}
      </Flex>
      {p.description && <Typography.Paragraph style={{ margin: '4px 0' }}>{p.description}</Typography.Paragraph>}
      {p.targetHouses.length > 0 && <Typography.Text type="secondary">{t('vol.targets', { n: p.targetHouses.length })}</Typography.Text>}
      {p.plan && (
        <Typography.Paragraph style={{ margin: '4px 0' }} data-testid="post-plan">
          {t('vol.plan')}：{p.plan}
        </Typography.Paragraph>
      )}
      <Typography.Text type="secondary">{t('vol.logs', { n: p.logs })}</Typography.Text>
      {can('party.post') && !p.claimedAt && (
        <Flex vertical gap={6} style={{ marginTop: 8 }}>
          <Input.TextArea
            data-testid="post-plan-input"
            rows={2}
            value={plan}
            onChange={(e) => setPlan(e.target.value)}
            placeholder={t('vol.planHint')}
          />
          <Button
            type="primary"
            disabled={plan.trim().length < 4}
            data-testid="post-claim"
            onClick={() =>
              run(
                () => volunteeringApi.claim(p.id, plan, p.version),
                t('vol.claimed'),
                () => setPlan(''),
              )
            }
          >
            {t('vol.claim')}
          </Button>
        </Flex>
      )}
      {can('party.post') && p.claimedAt && (
        <Flex gap={6} wrap style={{ marginTop: 8 }}>
          <Input
            data-testid="post-log-input"
            style={{ flex: 1, minWidth: 200 }}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            placeholder={t('vol.logHint')}
          />
          <Button
            disabled={note.trim().length < 2}
            data-testid="post-log"
            onClick={() =>
              run(
                () => volunteeringApi.log(p.id, todayCn(), note),
                t('vol.logged'),
                () => setNote(''),
              )
            }
          >
            {t('vol.logWork')}
          </Button>
        </Flex>
      )}
    </Card>
  );
}
