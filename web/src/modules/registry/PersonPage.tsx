import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Flex, Skeleton, Table, Tag, Typography } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router-dom';
import { useAuth } from '../../app/auth';
import { formatDateTime } from '../../app/format';
import { useLang } from '../../app/LangContext';
import { registryApi, registryKeys, type Link as HouseLink } from './api';
import { HistoryTimeline } from './forms';
import { LinkFormModal } from './LinkFormModal';
import { PersonFormModal } from './PersonFormModal';
import { PersonTags } from './PersonTags';
import { RegistryNav } from './RegistryNav';
import { RevealButton } from './RevealButton';

/** One person: masked identity with reveal, tags with who set them, houses over time, history. */
export default function PersonPage() {
  const { id = '' } = useParams();
  const { t, tc, lang } = useLang();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [link, setLink] = useState<HouseLink | 'new' | null>(null);
  const person = useQuery({ queryKey: registryKeys.person(id), queryFn: () => registryApi.person(id) });
  const history = useQuery({ queryKey: registryKeys.history(id), queryFn: () => registryApi.history(id) });
  if (person.isPending) return <Skeleton active />;
  if (person.isError) return <Alert type="error" showIcon title={person.error.message} />;
  const p = person.data;
  const writable = can('registry.write');
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['registry'] });

  return (
    <div>
      <RegistryNav />
      <Flex vertical gap={12}>
        <Card
          size="small"
          title={
            <Flex align="center" gap={8} wrap>
              <span data-testid="person-name">{p.name}</span>
              <PersonTags ageTags={p.ageTags} tags={p.tags} />
            </Flex>
          }
          extra={
            writable && (
              <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="person-edit">
                {t('common.edit')}
              </Button>
            )
          }
        >
          <Descriptions
            size="small"
            column={{ xs: 1, sm: 2, lg: 3 }}
            items={[
              { key: 'gender', label: t('registry.gender'), children: p.gender ? tc('gender', p.gender) : '—' },
              { key: 'age', label: t('registry.age'), children: p.age ?? '—' },
              { key: 'idType', label: t('registry.idType'), children: tc('idType', p.idType) },
              {
                key: 'id',
                label: t('registry.idNumber'),
                children: (
                  <Flex gap={8} align="center" wrap>
                    <span className="mono" data-testid="person-id-masked">
                      {p.idMasked}
                    </span>
                    {can('registry.reveal') && <RevealButton personId={p.id} />}
                  </Flex>
                ),
              },
              { key: 'phone', label: t('registry.phone'), children: p.phoneMasked ?? '—' },
              { key: 'res', label: t('registry.residency'), children: tc('residency', p.residency) },
              { key: 'eth', label: t('registry.ethnicity'), children: p.ethnicity || '—' },
              { key: 'hh', label: t('registry.householdPlace'), children: p.householdPlace || '—' },
              {
                key: 'addr',
                label: t('registry.addressCol'),
                children: p.houseCode ? <Link to={`/registry/houses/${p.houseCode}`}>{p.address}</Link> : t('registry.noHouse'),
              },
            ]}
          />
          {p.tagDetails.length > 0 && (
            <Flex wrap gap={8} style={{ marginTop: 8 }}>
              {p.tagDetails.map((d) => (
                <Typography.Text key={d.tag} type="secondary" style={{ fontSize: 12 }}>
                  <Tag>{d.level ? `${d.tag}（${d.level}）` : d.tag}</Tag>
                  {t('registry.tagSetBy', { who: d.setBy, when: formatDateTime(d.setAt, lang) })}
                </Typography.Text>
              ))}
            </Flex>
          )}
        </Card>
        <Card
          size="small"
          title={t('registry.houses')}
          extra={
            writable && (
              <Button size="small" icon={<PlusOutlined />} onClick={() => setLink('new')} data-testid="link-new">
                {t('registry.form.newLink')}
              </Button>
            )
          }
        >
          <Table<HouseLink>
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={p.houses}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: t('registry.addressCol'), key: 'a', render: (_: unknown, l) => <Link to={`/registry/houses/${l.houseCode}`}>{l.address}</Link> },
              { title: t('registry.relation'), key: 'r', render: (_: unknown, l) => tc('relation', l.relation) },
              { title: t('registry.headRelation'), dataIndex: 'headRelation', key: 'h' },
              { title: t('registry.moveIn'), dataIndex: 'moveIn', key: 'in' },
              { title: t('registry.moveOut'), key: 'out', render: (_: unknown, l) => l.moveOut ?? <Tag color="green">{t('registry.current')}</Tag> },
              ...(writable
                ? [
                    {
                      title: '',
                      key: 'edit',
                      render: (_: unknown, l: HouseLink) => (
                        <Button size="small" type="link" onClick={() => setLink(l)} data-testid={`link-edit-${l.id}`}>
                          {t('common.edit')}
                        </Button>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        </Card>
        <Card size="small" title={t('registry.history')}>
          <HistoryTimeline items={history.data?.items} testId="person-history" />
        </Card>
      </Flex>
      <PersonFormModal open={editing} person={p} onClose={() => setEditing(false)} onSaved={refresh} />
      <LinkFormModal open={link !== null} personId={p.id} link={link === 'new' ? null : link} onClose={() => setLink(null)} onSaved={refresh} />
    </div>
  );
}
