import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Flex, Form, Input, List, Modal, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { defaultPlace, delibApi, delibKeys, type Convention } from './api';

const NOTICE_KINDS = ['affairs', 'finance', 'service', 'party'] as const;

/** For workers: publish 四公开 notices (affairs, finance…) and record conventions (公约) with their versions and adoption. */
export function BoardAdminCard() {
  const { t, lang } = useLang();
  const { session } = useAuth();
  const community = defaultPlace(session?.roles).slice(0, 12);
  const [notice, setNotice] = useState(false);
  const [convention, setConvention] = useState<Convention | 'new' | null>(null);
  const conventions = useQuery({ queryKey: delibKeys.conventions, queryFn: delibApi.conventions });
  return (
    <Card
      title={t('boardAdmin.title')}
      style={{ marginBottom: 16 }}
      data-testid="board-admin"
      extra={community && <a href={`/board/${community}`} target="_blank" rel="noreferrer">{t('boardAdmin.open')}</a>}
    >
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => setNotice(true)} data-testid="notice-new">
          {t('boardAdmin.notice')}
        </Button>
        <Button onClick={() => setConvention('new')} data-testid="convention-new">
          {t('boardAdmin.convention')}
        </Button>
      </Flex>
      <Typography.Text strong>{t('boardAdmin.conventions')}</Typography.Text>
      <List
        size="small"
        dataSource={conventions.data ?? []}
        loading={conventions.isPending}
        renderItem={(c) => (
          <List.Item extra={<Button size="small" onClick={() => setConvention(c)}>{t('boardAdmin.revise')}</Button>}>
            <List.Item.Meta title={c.title} description={t('boardAdmin.currentVersion', { n: c.currentVersion, date: c.adoptedOn ? dayjs(c.adoptedOn).format(lang === 'zh' ? 'YYYY年M月D日' : 'YYYY-MM-DD') : '' })} />
          </List.Item>
        )}
      />
      <NoticeModal open={notice} community={community} onClose={() => setNotice(false)} />
      {convention && <ConventionModal current={convention === 'new' ? null : convention} place={community} onClose={() => setConvention(null)} />}
    </Card>
  );
}

function NoticeModal({ open, community, onClose }: { open: boolean; community: string; onClose: () => void }) {
  const { t, tc } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ communityCode: string; kind: string; title: string; body: string }>();
  const m = useMutation({
    mutationFn: delibApi.publishNotice,
    onSuccess: () => {
      message.success(t('boardAdmin.noticePublished'));
      void qc.invalidateQueries({ queryKey: ['deliberation'] });
      onClose();
    },
  });
  return (
    <Modal open={open} onCancel={onClose} title={t('boardAdmin.notice')} onOk={() => form.submit()} confirmLoading={m.isPending} destroyOnHidden okButtonProps={{ 'data-testid': 'notice-submit' } as Record<string, string>}>
      <Form form={form} layout="vertical" onFinish={(v) => m.mutate(v)} initialValues={{ communityCode: community, kind: 'affairs' }}>
        <Form.Item name="communityCode" label={t('boardAdmin.community')} rules={[{ required: true, pattern: /^\d{12}$/, message: t('vote.form.placeInvalid') }]}>
          <Input inputMode="numeric" maxLength={12} />
        </Form.Item>
        <Form.Item name="kind" label={t('boardAdmin.noticeKind')}>
          <Select options={NOTICE_KINDS.map((k) => ({ value: k, label: tc('noticeKind', k) }))} data-testid="notice-kind" />
        </Form.Item>
        <Form.Item name="title" label={t('boardAdmin.noticeTitle')} rules={[{ required: true, min: 2, max: 100 }]}>
          <Input data-testid="notice-title" />
        </Form.Item>
        <Form.Item name="body" label={t('boardAdmin.noticeBody')} rules={[{ required: true, min: 2 }]}>
          <Input.TextArea rows={6} maxLength={20000} data-testid="notice-body" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ConventionModal({ current, place, onClose }: { current: Convention | null; place: string; onClose: () => void }) {
  const { t } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ placeCode: string; title: string; text: string; adoptedOn: Dayjs; adoptedBy: string }>();
  const m = useMutation({
    mutationFn: (v: { placeCode: string; title: string; text: string; adoptedOn: Dayjs; adoptedBy: string }) => {
      const adoption = { text: v.text, adoptedOn: v.adoptedOn.format('YYYY-MM-DD'), adoptedBy: v.adoptedBy };
      return current ? delibApi.reviseConvention(current.id, { version: current.version, ...adoption }) : delibApi.createConvention({ placeCode: v.placeCode, title: v.title, ...adoption });
    },
    onSuccess: () => {
      message.success(t('boardAdmin.conventionSaved'));
      void qc.invalidateQueries({ queryKey: ['deliberation'] });
      onClose();
    },
  });
  return (
    <Modal open onCancel={onClose} title={current ? `${t('boardAdmin.revise')} · ${current.title}` : t('boardAdmin.convention')} onOk={() => form.submit()} confirmLoading={m.isPending} destroyOnHidden width={640}>
      <Form form={form} layout="vertical" onFinish={(v) => m.mutate(v)} initialValues={{ placeCode: place, title: current?.title, text: current?.text, adoptedOn: dayjs() }}>
        {!current && (
          <>
            <Form.Item name="placeCode" label={t('body.form.place')} rules={[{ required: true, pattern: /^\d{12}(\d{3}(\d{3})?)?$/, message: t('vote.form.placeInvalid') }]}>
              <Input inputMode="numeric" maxLength={18} />
            </Form.Item>
            <Form.Item name="title" label={t('boardAdmin.conventionTitle')} rules={[{ required: true, min: 2, max: 100 }]}>
              <Input />
            </Form.Item>
          </>
        )}
        <Form.Item name="text" label={t('boardAdmin.conventionText')} rules={[{ required: true, min: 2 }]}>
          <Input.TextArea rows={8} maxLength={20000} />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="adoptedOn" label={t('boardAdmin.adoptedOn')} rules={[{ required: true }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="adoptedBy" label={t('boardAdmin.adoptedBy')} rules={[{ required: true, min: 2, max: 200 }]} style={{ flex: 1 }}>
            <Input placeholder={t('boardAdmin.adoptedByHint')} />
          </Form.Item>
        </Flex>
      </Form>
    </Modal>
  );
}
