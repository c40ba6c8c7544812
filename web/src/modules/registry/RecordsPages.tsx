import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Input, Select, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { download, isApiError } from '../../app/api';
import { showError, showSuccess } from '../../app/feedback';
import { Link } from 'react-router-dom';
import { useAuth } from '../../app/auth';
import { formatDateTime } from '../../app/format';
import { useLang } from '../../app/LangContext';
import { useDebounced } from '../../app/useDebounced';
import { registryApi, type Tenancy, type Unit, type Vehicle, type Visitor } from './api';
import { UnitFormModal, VehicleFormModal } from './RecordFormModals';
import { RegistryNav } from './RegistryNav';
import { TenancyFormModal, VisitorFormModal } from './RentalForms';

/** The list as filtered, as .xlsx under the import template's headers (phones masked). */
function ExportButton({ kind, q }: { kind: 'units' | 'vehicles'; q: string }) {
  const { t } = useLang();
  const run = async () => {
    try {
      await download(`/api/registry/${kind}/export.xlsx`, { q: q || undefined }, kind === 'units' ? '单位信息导出.xlsx' : '车辆信息导出.xlsx');
      showSuccess(t('registry.exported'));
    } catch (e) {
      showError(isApiError(e) ? e.message : String(e));
    }
  };
  return (
    <Button icon={<DownloadOutlined />} onClick={() => void run()} data-testid={`${kind}-export`}>
      {t('registry.export')}
    </Button>
  );
}

/** 实有单位 */
export function UnitsPage() {
  const { t, tc } = useLang();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 350);
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Unit | 'new' | null>(null);
  const units = useQuery({ queryKey: ['registry', 'units', q], queryFn: () => registryApi.units(q) });
  return (
    <div>
      <RegistryNav />
      <Card size="small">
        <Flex wrap gap={8} style={{ marginBottom: 12 }}>
          <Input allowClear prefix={<SearchOutlined />} placeholder={t('registry.units.search')} value={text} onChange={(e) => setText(e.target.value)} style={{ maxWidth: 360 }} />
          {can('registry.write') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="unit-new">
              {t('registry.form.newUnit')}
            </Button>
          )}
          <ExportButton kind="units" q={q} />
        </Flex>
        {units.isError && <Alert type="error" showIcon title={units.error.message} />}
        <Table<Unit>
          size="small"
          rowKey="id"
          loading={units.isPending}
          dataSource={units.data?.items ?? []}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('registry.units.name'), dataIndex: 'name', key: 'n' },
            { title: t('registry.units.type'), key: 't', render: (_: unknown, u) => <Tag>{tc('unitType', u.unitType)}</Tag> },
            { title: t('registry.units.creditCode'), dataIndex: 'creditCode', key: 'c', render: (v: string | null) => <span className="mono">{v ?? '—'}</span> },
            { title: t('registry.units.industry'), dataIndex: 'industry', key: 'i', responsive: ['md'] },
            { title: t('registry.addressCol'), key: 'a', responsive: ['lg'], render: (_: unknown, u) => (u.houseCode ? <Link to={`/registry/houses/${u.houseCode}`}>{u.address}</Link> : u.address) },
            { title: t('registry.units.contact'), key: 'p', render: (_: unknown, u) => `${u.contactName} ${u.contactPhoneMasked ?? ''}` },
            { title: t('registry.units.employees'), dataIndex: 'employees', key: 'e', responsive: ['md'] },
            ...(can('registry.write')
              ? [
                  {
                    title: '',
                    key: 'edit',
                    render: (_: unknown, u: Unit) => (
                      <Button size="small" type="link" onClick={() => setEditing(u)} data-testid={`unit-edit-${u.id}`}>
                        {t('common.edit')}
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <UnitFormModal
        open={editing !== null}
        unit={editing === 'new' ? null : editing}
        onClose={() => setEditing(null)}
        onSaved={() => void queryClient.invalidateQueries({ queryKey: ['registry'] })}
      />
    </div>
  );
}

/** 实有车辆 */
export function VehiclesPage() {
  const { t, tc } = useLang();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 350);
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Vehicle | 'new' | null>(null);
  const vehicles = useQuery({ queryKey: ['registry', 'vehicles', q], queryFn: () => registryApi.vehicles(q) });
  return (
    <div>
      <RegistryNav />
      <Card size="small">
        <Flex wrap gap={8} style={{ marginBottom: 12 }}>
          <Input allowClear prefix={<SearchOutlined />} placeholder={t('registry.vehicles.search')} value={text} onChange={(e) => setText(e.target.value)} style={{ maxWidth: 360 }} />
          {can('registry.write') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="vehicle-new">
              {t('registry.form.newVehicle')}
            </Button>
          )}
          <ExportButton kind="vehicles" q={q} />
        </Flex>
        {vehicles.isError && <Alert type="error" showIcon title={vehicles.error.message} />}
        <Table<Vehicle>
          size="small"
          rowKey="id"
          loading={vehicles.isPending}
          dataSource={vehicles.data?.items ?? []}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('registry.vehicles.plate'), key: 'p', render: (_: unknown, v) => <span className={`plate plate-${v.plateKind}`}>{v.plate}</span> },
            { title: t('registry.vehicles.kind'), key: 'k', render: (_: unknown, v) => <Tag color={v.plateKind === 'new_energy' ? 'green' : 'blue'}>{tc('plateKind', v.plateKind)}</Tag> },
            { title: t('registry.vehicles.owner'), key: 'o', render: (_: unknown, v) => (v.ownerPersonId ? <Link to={`/registry/persons/${v.ownerPersonId}`}>{v.ownerName}</Link> : (v.ownerName ?? '—')) },
            { title: t('registry.vehicles.brand'), key: 'b', render: (_: unknown, v) => `${v.brand} ${v.color}` },
            { title: t('registry.vehicles.parking'), dataIndex: 'parking', key: 'pk' },
            ...(can('registry.write')
              ? [
                  {
                    title: '',
                    key: 'edit',
                    render: (_: unknown, v: Vehicle) => (
                      <Button size="small" type="link" onClick={() => setEditing(v)} data-testid={`vehicle-edit-${v.id}`}>
                        {t('common.edit')}
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <VehicleFormModal
        open={editing !== null}
        vehicle={editing === 'new' ? null : editing}
        onClose={() => setEditing(null)}
        onSaved={() => void queryClient.invalidateQueries({ queryKey: ['registry'] })}
      />
    </div>
  );
}

/** Reminders: those still running, soonest end first; then those already ended, most recent first. */
function upcomingFirst(items: Tenancy[]) {
  const rank = (x: Tenancy) => (x.daysLeft >= 0 ? x.daysLeft : 100_000 - x.daysLeft);
  return [...items].sort((a, b) => rank(a) - rank(b));
}

/** 租访客: tenancies about to end, rented houses lacking a tenant, visitors. */
export function RentalsPage() {
  const { t, lang } = useLang();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const [days, setDays] = useState(30);
  const [form, setForm] = useState<'tenancy' | 'visitor' | null>(null);
  const expiring = useQuery({ queryKey: ['registry', 'expiring', days], queryFn: () => registryApi.expiring(days) });
  const noTenant = useQuery({ queryKey: ['registry', 'noTenant'], queryFn: registryApi.noTenant });
  const visitors = useQuery({ queryKey: ['registry', 'visitors'], queryFn: registryApi.visitors });
  const left = async (id: string) => {
    await registryApi.visitorLeft(id);
    await queryClient.invalidateQueries({ queryKey: ['registry', 'visitors'] });
  };
  return (
    <div>
      <RegistryNav />
      {can('registry.write') && (
        <Flex wrap gap={8} style={{ marginBottom: 12 }}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setForm('tenancy')} data-testid="tenancy-new">
            {t('registry.rentals.newTenancy')}
          </Button>
          <Button icon={<PlusOutlined />} onClick={() => setForm('visitor')} data-testid="visitor-new">
            {t('registry.visitors.new')}
          </Button>
        </Flex>
      )}
      <Flex vertical gap={12}>
        <Card
          size="small"
          title={t('registry.rentals.expiring', { n: days })}
          data-testid="rentals-expiring"
          extra={
            <Select
              size="small"
              value={days}
              onChange={setDays}
              style={{ width: 110 }}
              data-testid="rentals-days"
              options={[7, 15, 30, 60, 90].map((n) => ({ value: n, label: t('registry.rentals.withinDays', { n }) }))}
            />
          }
        >
          <Table<Tenancy>
            size="small"
            rowKey="id"
            pagination={{ pageSize: 8, size: 'small' }}
            loading={expiring.isPending}
            dataSource={upcomingFirst(expiring.data?.items ?? [])}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: t('registry.rentals.tenant'), key: 'tn', render: (_: unknown, x) => <Link to={`/registry/persons/${x.tenantId}`}>{x.tenantName}</Link> },
              { title: t('registry.rentals.landlord'), dataIndex: 'landlordName', key: 'l' },
              { title: t('level.house'), key: 'h', render: (_: unknown, x) => <Link to={`/registry/houses/${x.houseCode}`}>{x.houseCode.slice(-6)}</Link> },
              { title: t('registry.rentals.period'), key: 'p', render: (_: unknown, x) => `${x.startDate} ~ ${x.endDate}` },
              {
                title: t('registry.rentals.contractPhoto'),
                key: 'ph',
                render: (_: unknown, x) =>
                  x.hasPhoto ? (
                    <a href={`/api/registry/tenancies/${x.id}/photo`} target="_blank" rel="noreferrer">
                      {t('registry.rentals.viewPhoto')}
                    </a>
                  ) : (
                    '—'
                  ),
              },
              {
                title: '',
                key: 'd',
                render: (_: unknown, x) =>
                  x.daysLeft >= 0 ? <Tag color={x.daysLeft <= 7 ? 'red' : 'orange'}>{t('registry.rentals.daysLeft', { n: x.daysLeft })}</Tag> : <Tag>{t('registry.rentals.overdue', { n: -x.daysLeft })}</Tag>,
              },
            ]}
          />
        </Card>
        <Card size="small" title={t('registry.rentals.noTenant')} data-testid="rentals-no-tenant">
          <Flex wrap gap={8}>
            {(noTenant.data?.items ?? []).map((h) => (
              <Link key={h.code} to={`/registry/houses/${h.code}`}>
                <Tag color="blue">{h.address.replace(/^.*?(社区|村)/, '')}</Tag>
              </Link>
            ))}
            {noTenant.data?.items.length === 0 && <Typography.Text type="secondary">—</Typography.Text>}
          </Flex>
        </Card>
        <Card size="small" title={t('registry.rentals.visitors')} data-testid="rentals-visitors">
          <Table<Visitor>
            size="small"
            rowKey="id"
            pagination={{ pageSize: 8, size: 'small' }}
            loading={visitors.isPending}
            dataSource={visitors.data?.items ?? []}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: t('registry.name'), dataIndex: 'name', key: 'n' },
              { title: t('registry.phone'), dataIndex: 'phoneMasked', key: 'p' },
              { title: t('registry.addressCol'), key: 'a', render: (_: unknown, v) => <Link to={`/registry/houses/${v.houseCode}`}>{v.address.replace(/^.*?(社区|村)/, '')}</Link> },
              { title: t('registry.visitors.purpose'), dataIndex: 'purpose', key: 'pu' },
              { title: t('registry.visitors.arrived'), key: 'ar', render: (_: unknown, v) => formatDateTime(v.arrivedAt, lang) },
              {
                title: t('registry.visitors.left'),
                key: 'l',
                render: (_: unknown, v) =>
                  v.leftAt ? (
                    formatDateTime(v.leftAt, lang)
                  ) : can('registry.write') ? (
                    <Button size="small" onClick={() => void left(v.id)}>
                      {t('registry.visitors.markLeft')}
                    </Button>
                  ) : (
                    <Tag color="green">{t('registry.visitors.present')}</Tag>
                  ),
              },
            ]}
          />
        </Card>
      </Flex>
      <TenancyFormModal open={form === 'tenancy'} onClose={() => setForm(null)} onSaved={() => void queryClient.invalidateQueries({ queryKey: ['registry'] })} />
      <VisitorFormModal open={form === 'visitor'} onClose={() => setForm(null)} onSaved={() => void queryClient.invalidateQueries({ queryKey: ['registry', 'visitors'] })} />
    </div>
  );
}
