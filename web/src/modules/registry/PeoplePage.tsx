import { useState } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Flex, Input, InputNumber, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { DownloadOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import { useAuth } from '../../app/auth';
import { download } from '../../app/api';
import { showError, showSuccess } from '../../app/feedback';
import { useLang } from '../../app/LangContext';
import { useDebounced } from '../../app/useDebounced';
import { PERSON_TAGS, registryApi, registryKeys, type Person, type PersonFilter } from './api';
import { PersonFormModal } from './PersonFormModal';
import { PersonTags } from './PersonTags';
import { RegistryNav } from './RegistryNav';

const AGE_TAG_FILTERS = ['60岁以上', '80岁以上', '未成年'] as const;

/** 实有人口: search by name, pinyin initials, ID number, phone, address; tag chips; keyset pages. */
export default function PeoplePage() {
  const { t, tc } = useLang();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const [text, setText] = useState('');
  const [address, setAddress] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  const [ageTag, setAgeTag] = useState<string | null>(null);
  const [residency, setResidency] = useState<string | undefined>();
  const [minAge, setMinAge] = useState<number | null>(null);
  const [maxAge, setMaxAge] = useState<number | null>(null);
  const q = useDebounced(text.trim(), 350);
  const addr = useDebounced(address.trim(), 350);
  const ageBounds =
    ageTag === '80岁以上' ? { minAge: 80 } : ageTag === '60岁以上' ? { minAge: 60 } : ageTag === '未成年' ? { maxAge: 17 } : {};
  const filter: PersonFilter = {
    q: q || undefined,
    address: addr || undefined,
    tags: tags.length ? tags : undefined,
    residency,
    minAge: minAge ?? undefined,
    maxAge: maxAge ?? undefined,
    ...ageBounds,
  };
  const people = useInfiniteQuery({
    queryKey: registryKeys.people(filter),
    queryFn: ({ pageParam }) => registryApi.people(filter, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const rows = people.data?.pages.flatMap((p) => p.items) ?? [];
  const toggleTag = (tag: string) => setTags((cur) => (cur.includes(tag) ? cur.filter((x) => x !== tag) : [...cur, tag]));

  const columns: TableColumnsType<Person> = [
    {
      title: t('registry.name'),
      key: 'name',
      render: (_: unknown, p) => (
        <Link to={`/registry/persons/${p.id}`} data-testid={`person-${p.id}`}>
          {p.name}
        </Link>
      ),
    },
    { title: t('registry.gender'), key: 'gender', width: 60, render: (_: unknown, p) => (p.gender ? tc('gender', p.gender) : '—') },
    { title: t('registry.age'), dataIndex: 'age', key: 'age', width: 60, responsive: ['sm'] },
    { title: t('registry.idNumber'), dataIndex: 'idMasked', key: 'id', responsive: ['md'], render: (v: string) => <span className="mono">{v}</span> },
    { title: t('registry.phone'), dataIndex: 'phoneMasked', key: 'phone', responsive: ['lg'], render: (v: string | null) => v ?? '—' },
    {
      title: t('registry.addressCol'),
      key: 'address',
      responsive: ['md'],
      render: (_: unknown, p) => (p.houseCode ? <Link to={`/registry/houses/${p.houseCode}`}>{p.address}</Link> : <Typography.Text type="secondary">{t('registry.noHouse')}</Typography.Text>),
    },
    { title: t('registry.residency'), key: 'res', width: 70, responsive: ['lg'], render: (_: unknown, p) => tc('residency', p.residency) },
    { title: t('registry.tags'), key: 'tags', render: (_: unknown, p) => <PersonTags ageTags={p.ageTags} tags={p.tags} /> },
  ];

  const exportList = async () => {
    try {
      await download(registryApi.exportUrl(filter), undefined, '人口信息导出.xlsx');
      showSuccess(t('registry.exported'));
    } catch (e) {
      showError((e as Error).message);
    }
  };

  return (
    <div>
      <RegistryNav />
      <PersonFormModal open={creating} onClose={() => setCreating(false)} onSaved={(id) => navigate(`/registry/persons/${id}`)} />
      <Card size="small">
        <Flex wrap gap={8} style={{ marginBottom: 8 }}>
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder={t('registry.search')}
            value={text}
            onChange={(e) => setText(e.target.value)}
            style={{ flex: '2 1 260px' }}
            data-testid="people-search"
          />
          <Input allowClear placeholder={t('registry.address')} value={address} onChange={(e) => setAddress(e.target.value)} style={{ flex: '1 1 180px' }} />
          <Select
            allowClear
            placeholder={t('registry.residency')}
            value={residency}
            onChange={setResidency}
            style={{ width: 120 }}
            options={['registered', 'migrant', 'foreign'].map((r) => ({ value: r, label: tc('residency', r) }))}
          />
          <Flex align="center" gap={4}>
            <span style={{ fontSize: 12 }}>{t('registry.ageRange')}</span>
            <InputNumber min={0} max={150} placeholder={t('registry.minAge')} value={minAge} onChange={(v) => setMinAge(v)} style={{ width: 72 }} />
            <span>–</span>
            <InputNumber min={0} max={150} placeholder={t('registry.maxAge')} value={maxAge} onChange={(v) => setMaxAge(v)} style={{ width: 72 }} />
          </Flex>
          <Button icon={<DownloadOutlined />} onClick={() => void exportList()} data-testid="people-export">
            {t('registry.export')}
          </Button>
          {can('registry.write') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="person-new">
              {t('registry.form.newPerson')}
            </Button>
          )}
        </Flex>
        <Flex wrap gap={4} style={{ marginBottom: 12 }} data-testid="tag-chips">
          {AGE_TAG_FILTERS.map((tag) => (
            <Tag.CheckableTag key={tag} checked={ageTag === tag} onChange={() => setAgeTag(ageTag === tag ? null : tag)}>
              {tag}
            </Tag.CheckableTag>
          ))}
          {PERSON_TAGS.map((tag) => (
            <Tag.CheckableTag key={tag} checked={tags.includes(tag)} onChange={() => toggleTag(tag)}>
              {tag}
            </Tag.CheckableTag>
          ))}
        </Flex>
        {people.isError ? (
          <Alert type="error" showIcon title={people.error.message} />
        ) : (
          <Table
            size="small"
            rowKey="id"
            columns={columns}
            dataSource={rows}
            loading={people.isPending}
            pagination={false}
            scroll={{ x: 'max-content' }}
            data-testid="people-table"
            locale={{ emptyText: <Empty description={<>{t('registry.empty')}<br /><Typography.Text type="secondary">{t('registry.emptyHint')}</Typography.Text></>} /> }}
          />
        )}
        {people.hasNextPage && (
          <Flex justify="center" style={{ marginTop: 12 }}>
            <Button onClick={() => void people.fetchNextPage()} loading={people.isFetchingNextPage}>
              {t('registry.more')}
            </Button>
          </Flex>
        )}
      </Card>
    </div>
  );
}
