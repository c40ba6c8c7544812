import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Col, Descriptions, Empty, Flex, Form, Input, List, Modal, Radio, Row, Tag, Timeline, Typography } from 'antd';
import { FilePdfOutlined, PlusOutlined } from '@ant-design/icons';
import { Link, useSearchParams } from 'react-router-dom';
import { api, isApiError } from '../../app/api';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { showError } from '../../app/feedback';
import { formatTime } from './format';

interface Case {
  id: string;
  number: string;
  title: string;
  placeCode: string;
  placeName: string;
  parties: { side: string; name: string; phone: string | null }[];
  mediatorName: string;
  mediatorOrgName: string | null;
  state: 'open' | 'agreed' | 'failed';
  outcome: string;
  agreement: string;
  createdAt: string;
  eventId: string | null;
  version: number;
  sessions?: { id: number; at: string; mediatorName: string; notes: string }[];
}

const STATE_COLOR = { open: 'blue', agreed: 'green', failed: 'default' } as const;

/** Mediation cases (矛盾纠纷调解): open a case, record sessions, close it, print the agreement. */
export default function MediationPage() {
  const { t, tc } = useLang();
  const { session } = useAuth();
  const queryClient = useQueryClient();
  // `?case=` (from an event's 一键调解) opens that case.
  const [params] = useSearchParams();
  const [selected, setSelected] = useState<string | null>(params.get('case'));
  const [creating, setCreating] = useState(false);
  const [closing, setClosing] = useState(false);
  const [notes, setNotes] = useState('');
  const list = useQuery({ queryKey: ['mediation'], queryFn: () => api.get<{ items: Case[] }>('/api/mediation').then((r) => r.items) });
  const one = useQuery({
    queryKey: ['mediation', selected],
    queryFn: () => api.get<Case>(`/api/mediation/${selected}`),
    enabled: !!selected,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['mediation'] });
  const place = session?.roles.find((r) => r.scopeType === 'territory')?.scopeCode ?? '';
  const run = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      refresh();
    } catch (e) {
      showError(isApiError(e) ? e.message : String(e));
    }
  };
  const c = one.data;

  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center">
        <Typography.Title level={3} className="page-title" style={{ margin: 0 }}>
          {t('med.title')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="mediation-new">
          {t('med.new')}
        </Button>
      </Flex>
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={10}>
          <Card size="small">
            <List
              dataSource={list.data ?? []}
              loading={list.isLoading}
              locale={{ emptyText: <Empty description={t('med.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
              renderItem={(m) => (
                <List.Item
                  onClick={() => setSelected(m.id)}
                  style={{ cursor: 'pointer', background: m.id === selected ? '#f0f5ff' : undefined }}
                >
                  <Flex vertical style={{ width: '100%' }}>
                    <Flex justify="space-between">
                      <Typography.Text strong>{m.title}</Typography.Text>
                      <Tag color={STATE_COLOR[m.state]}>{tc('med.state', m.state)}</Tag>
                    </Flex>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {m.number} · {m.parties.map((p) => p.name).join(' / ')} · {formatTime(m.createdAt)}
                    </Typography.Text>
                  </Flex>
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          {c ? (
            <Card size="small" title={c.title} extra={<Tag color={STATE_COLOR[c.state]}>{tc('med.state', c.state)}</Tag>}>
              <Descriptions column={1} size="small">
                <Descriptions.Item label={t('med.parties')}>
                  {c.parties
                    .map(
                      (p) =>
                        `${p.side === 'applicant' ? t('med.applicant') : t('med.respondent')} ${p.name}${p.phone ? ` ${p.phone}` : ''}`,
                    )
                    .join('；')}
                </Descriptions.Item>
                <Descriptions.Item label={t('med.mediator')}>
                  {[c.mediatorOrgName, c.mediatorName].filter(Boolean).join(' ')}
                </Descriptions.Item>
                <Descriptions.Item label={t('events.place')}>{c.placeName || c.placeCode}</Descriptions.Item>
                {c.eventId && (
                  <Descriptions.Item label={t('med.fromEventLink')}>
                    <Link to={`/events/${c.eventId}`} data-testid="mediation-event-link">
                      {t('med.fromEventLink')}
                    </Link>
                  </Descriptions.Item>
                )}
                {c.outcome && <Descriptions.Item label={t('med.outcome')}>{c.outcome}</Descriptions.Item>}
              </Descriptions>
              <Timeline items={(c.sessions ?? []).map((s) => ({ content: `${formatTime(s.at)} ${s.mediatorName}：${s.notes}` }))} />
              {c.state === 'open' && (
                <Flex vertical gap={8}>
                  <Input.TextArea rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} placeholder={t('med.sessionNotes')} />
                  <Flex gap={8}>
                    <Button
                      disabled={notes.trim().length < 2}
                      onClick={() => void run(() => api.post(`/api/mediation/${c.id}/sessions`, { notes }).then(() => setNotes('')))}
                    >
                      {t('med.addSession')}
                    </Button>
                    <Button type="primary" onClick={() => setClosing(true)}>
                      {t('med.close')}
                    </Button>
                  </Flex>
                </Flex>
              )}
              {c.state === 'agreed' && (
                <a href={`/api/mediation/${c.id}/agreement.pdf`} target="_blank" rel="noreferrer">
                  <Button icon={<FilePdfOutlined />}>{t('med.pdf')}</Button>
                </a>
              )}
            </Card>
          ) : (
            <Card size="small">
              <Empty description={t('med.pick')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
            </Card>
          )}
        </Col>
      </Row>
      {creating && (
        <Modal open title={t('med.new')} onCancel={() => setCreating(false)} footer={null} destroyOnHidden>
          <Form
            layout="vertical"
            initialValues={{ placeCode: place }}
            onFinish={(v: { placeCode: string; title: string; applicant: string; respondent: string; mediatorName: string }) =>
              void run(async () => {
                const created = await api.post<Case>('/api/mediation', {
                  placeCode: v.placeCode,
                  title: v.title,
                  mediatorName: v.mediatorName,
                  parties: [
                    { side: 'applicant', name: v.applicant },
                    { side: 'respondent', name: v.respondent },
                  ],
                });
                setCreating(false);
                setSelected(created.id);
              })
            }
          >
            <Form.Item name="title" label={t('events.titleField')} rules={[{ required: true, min: 2 }]}>
              <Input />
            </Form.Item>
            <Form.Item name="placeCode" label={t('events.placeCode')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
            <Form.Item name="applicant" label={t('med.applicant')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
            <Form.Item name="respondent" label={t('med.respondent')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
            <Form.Item name="mediatorName" label={t('med.mediator')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
            <Button type="primary" htmlType="submit" block>
              {t('common.save')}
            </Button>
          </Form>
        </Modal>
      )}
      {closing && c && (
        <Modal open title={t('med.close')} onCancel={() => setClosing(false)} footer={null} destroyOnHidden>
          <Form
            layout="vertical"
            initialValues={{ outcome: 'agreed' }}
            onFinish={(v: { outcome: 'agreed' | 'failed'; summary: string; agreement?: string }) =>
              void run(() => api.post(`/api/mediation/${c.id}/close`, { version: c.version, ...v }).then(() => setClosing(false)))
            }
          >
            <Form.Item name="outcome">
              <Radio.Group
                options={[
                  { value: 'agreed', label: t('med.state.agreed') },
                  { value: 'failed', label: t('med.state.failed') },
                ]}
              />
            </Form.Item>
            <Form.Item name="summary" label={t('med.outcome')} rules={[{ required: true, min: 2 }]}>
              <Input.TextArea rows={2} />
            </Form.Item>
            <Form.Item name="agreement" label={t('med.agreement')}>
              <Input.TextArea rows={4} />
            </Form.Item>
            <Button type="primary" htmlType="submit" block>
              {t('common.confirm')}
            </Button>
          </Form>
        </Modal>
      )}
    </Flex>
  );
}
