import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Collapse, Empty, Flex, Input, Modal, Space, Tabs, Tag, Timeline, Typography } from 'antd';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import type { MessageKey } from '../../app/i18n';
import { SlotsTab } from './SlotsTab';
import { CatalogueAdminTab } from './CatalogueAdmin';
import { AppointmentTab } from './AppointmentTab';
import { CertificateListTab } from './CertificateListTab';
import { CertificateIssueTab } from './CertificateIssueTab';
import { ResidentLookup } from './ResidentLookup';
import { DEADLINE_COLORS, servicesApi, type Application, type FoundPerson, type Item } from './api';

// Times are shown in China Standard Time wherever the browser is.
const TZ = { timeZone: 'Asia/Shanghai' } as const;

/**
 * 便民服务: the catalogue and my applications (residents, phone-sized), the inbox and one window
 * (workers), certificates: issuing them (证明开具) and the community's certificate list.
 */
export default function ServicesPage() {
  const { t } = useLang();
  const { can } = useAuth();
  const handler = can('service.handle');
  const tabs = [
    { key: 'catalogue', label: t('svc.catalogue'), children: <CatalogueTab /> },
    { key: 'mine', label: handler ? t('svc.inbox') : t('svc.mine'), children: <ApplicationsTab mine={!handler} /> },
    ...(handler ? [{ key: 'window', label: t('svc.window'), children: <WindowTab /> }] : []),
    ...(handler ? [{ key: 'slots', label: t('slot.tab'), children: <SlotsTab /> }] : []),
    ...(!handler && can('service.apply') ? [{ key: 'appointment', label: t('slot.tab'), children: <AppointmentTab /> }] : []),
    ...(can('service.configure') ? [{ key: 'admin', label: t('cat.tab'), children: <CatalogueAdminTab /> }] : []),
    { key: 'certs', label: t('svc.certificates'), children: <CertificatesTab /> },
    ...(can('certificate.issue') ? [{ key: 'issue', label: t('cissue.tab'), children: <CertificateIssueTab /> }] : []),
    ...(can('service.configure') || can('certificate.issue')
      ? [{ key: 'certlist', label: t('clist.tab'), children: <CertificateListTab /> }]
      : []),
  ];
  return <Tabs data-testid="services-tabs" items={tabs} destroyOnHidden />;
}

function CatalogueTab({ personId }: { personId?: string }) {
  const { t } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const cat = useQuery({ queryKey: ['services', 'catalogue'], queryFn: servicesApi.catalogue });
  const [applying, setApplying] = useState<Item | null>(null);
  const [note, setNote] = useState('');
  const submit = async () => {
    if (!applying) return;
    try {
      const a = await servicesApi.apply(applying.id, note, personId);
      message.success(t('svc.submitted', { number: a.number }));
      setApplying(null);
      setNote('');
      void qc.invalidateQueries({ queryKey: ['services', 'applications'] });
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  if (!cat.data) return <Card loading />;
  return (
    <>
      <Typography.Title level={5}>{cat.data.community.name}</Typography.Title>
      <Collapse
        data-testid="catalogue"
        defaultActiveKey={[cat.data.categories[0]?.id]}
        items={cat.data.categories.map((c) => ({
          key: c.id,
          label: `${c.name}（${c.items.length}）`,
          children: (
            <Flex vertical gap={8}>
              {c.items.map((it) => (
                <Card key={it.id} size="small" data-testid={`item-${it.name}`}>
                  <Flex justify="space-between" align="start" gap={8}>
                    <div>
                      <Typography.Text strong>{it.name}</Typography.Text>
                      <div>
                        <Tag color="blue">{t('svc.timeLimit', { days: it.timeLimitDays })}</Tag>
                        {it.feeFen === 0 && <Tag>{t('svc.fee')}</Tag>}
                        {it.givesCertificate && <Tag color="purple">{t('svc.givesCert')}</Tag>}
                        {it.homeVisit && <Tag color="cyan">{t('svc.homeVisit')}</Tag>}
                      </div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('svc.eligibility')}：{it.eligibility}
                        <br />
                        {t('svc.materials')}：{it.materials.map((m) => m.name).join('、')}
                      </Typography.Text>
                    </div>
                    <Button type="primary" size="small" data-testid={`apply-${it.name}`} onClick={() => setApplying(it)}>
                      {t('svc.apply')}
                    </Button>
                  </Flex>
                </Card>
              ))}
            </Flex>
          ),
        }))}
      />
      <Modal
        open={!!applying}
        title={applying ? t('svc.applyTitle', { name: applying.name }) : ''}
        onOk={submit}
        onCancel={() => setApplying(null)}
        okButtonProps={{ 'data-testid': 'apply-submit' } as Record<string, string>}
      >
        <Input.TextArea
          data-testid="apply-note"
          rows={3}
          placeholder={t('svc.note')}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </Modal>
    </>
  );
}

function ApplicationsTab({ mine }: { mine: boolean }) {
  const { t } = useLang();
  const list = useQuery({ queryKey: ['services', 'applications', mine], queryFn: () => servicesApi.list(mine) });
  if (!list.data) return <Card loading />;
  if (!list.data.items.length) return <Empty description={t('svc.empty')} />;
  return (
    <Flex vertical gap={8} data-testid="applications">
      {list.data.items.map((a) => (
        <ApplicationCard key={a.id} a={a} />
      ))}
    </Flex>
  );
}

function ApplicationCard({ a }: { a: Application }) {
  const { t } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const detail = useQuery({ queryKey: ['services', 'application', a.id], queryFn: () => servicesApi.get(a.id), enabled: open });
  const act = async (action: string) => {
    try {
      await servicesApi.act(a.id, action, detail.data?.version ?? a.version, note);
      setNote('');
      void qc.invalidateQueries({ queryKey: ['services'] });
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <Card size="small" data-testid={`application-${a.number}`} onClick={() => setOpen(true)} hoverable>
      <Flex justify="space-between" wrap gap={4}>
        <Typography.Text strong>{a.itemName}</Typography.Text>
        <Space size={4}>
          <Tag color={a.state === 'done' ? 'green' : a.state === 'refused' ? 'red' : 'blue'} data-testid="application-state">
            {a.stateName}
          </Tag>
          <Tag color={DEADLINE_COLORS[a.deadline]}>{t(`svc.deadline.${a.deadline}` as MessageKey)}</Tag>
        </Space>
      </Flex>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('svc.number')} {a.number} · {a.personName} · {t('svc.due')} {new Date(a.dueAt).toLocaleDateString('zh-CN', TZ)}
        {a.handlerRoleName ? ` · ${t('edit.handlerRole')} ${a.handlerRoleName}` : ''}
      </Typography.Text>
      {a.refusalReason && <div style={{ color: '#cf1322' }}>{a.refusalReason}</div>}
      {a.materialsNote && a.state === 'materials_requested' && <div style={{ color: '#d48806' }}>{a.materialsNote}</div>}
      {open && detail.data && (
        <div onClick={(e) => e.stopPropagation()} style={{ marginTop: 8 }}>
          <Timeline
            items={(detail.data.steps ?? []).map((s) => ({
              children: `${new Date(s.at).toLocaleString('zh-CN', TZ)} ${s.actorName}：${t(`svc.action.${s.action}` as MessageKey) === `svc.action.${s.action}` ? '提交申请' : t(`svc.action.${s.action}` as MessageKey)} ${s.note}`,
            }))}
          />
          {detail.data.actions.length > 0 && (
            <Flex vertical gap={6}>
              <Input.TextArea
                data-testid="action-note"
                rows={2}
                placeholder={t('svc.actionNote')}
                value={note}
                onChange={(e) => setNote(e.target.value)}
              />
              <Flex gap={6} wrap>
                {detail.data.actions.map((x) => (
                  <Button key={x} size="small" data-testid={`action-${x}`} danger={x === 'refuse'} onClick={() => void act(x)}>
                    {t(`svc.action.${x}` as MessageKey)}
                  </Button>
                ))}
              </Flex>
            </Flex>
          )}
        </div>
      )}
    </Card>
  );
}

function WindowTab() {
  const { t } = useLang();
  const [found, setFound] = useState<FoundPerson | null>(null);
  return (
    <Flex vertical gap={12}>
      <ResidentLookup testId="window" onFound={setFound} />
      {found && (
        <>
          <Typography.Text>{t('svc.acceptFor')}</Typography.Text>
          <CatalogueTab personId={found.id} />
        </>
      )}
    </Flex>
  );
}

function CertificatesTab() {
  const { t } = useLang();
  const list = useQuery({ queryKey: ['services', 'certificates'], queryFn: servicesApi.certificates });
  if (!list.data) return <Card loading />;
  if (!list.data.items.length) return <Empty />;
  return (
    <Flex vertical gap={8} data-testid="certificates">
      {list.data.items.map((c) => (
        <Card size="small" key={c.id}>
          <Flex justify="space-between" wrap gap={4}>
            <div>
              <Typography.Text strong>{c.typeName}</Typography.Text> · {c.personName}
              <div style={{ fontSize: 12 }}>
                {t('svc.cert.number')} {c.number} · {t('svc.cert.verify')} {c.verifyCode} {c.revokedAt && <Tag color="red">已作废</Tag>}
              </div>
            </div>
            <a href={`/api/certificates/${c.id}/pdf`} target="_blank" rel="noreferrer" data-testid={`cert-pdf-${c.number}`}>
              {t('svc.cert.pdf')}
            </a>
          </Flex>
        </Card>
      ))}
    </Flex>
  );
}
