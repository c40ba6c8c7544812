import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Flex, Input, Select, Table, Tag, type TableColumnsType } from 'antd';
import { DownloadOutlined, SearchOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useLang } from '../../app/LangContext';
import { useDebounced } from '../../app/useDebounced';
import { wfApi, type Worker } from './api';

const POSTS = ['dual_head', 'head', 'deputy', 'staff'];

export default function WorkersPage() {
  const { t, tc } = useLang();
  const [q, setQ] = useState('');
  const [code, setCode] = useState('');
  const [post, setPost] = useState<string | undefined>();
  const filter = { q: useDebounced(q.trim(), 300) || undefined, territoryCode: useDebounced(code.trim(), 400) || undefined, post };
  const workers = useQuery({ queryKey: ['wf', 'workers', filter], queryFn: () => wfApi.workers(filter) });
  const columns: TableColumnsType<Worker> = [
    {
      title: t('wf.name'),
      key: 'name',
      render: (_, w) => (
        <Link to={`/workforce/workers/${w.id}`} data-testid="wf-worker-link">
          {w.name}
        </Link>
      ),
    },
    { title: t('wf.community'), dataIndex: 'communityName', key: 'c', responsive: ['sm'] },
    {
      title: t('wf.post'),
      key: 'post',
      render: (_, w) =>
        w.post ? (
          <Tag color={w.post === 'dual_head' ? 'red' : w.post === 'head' ? 'volcano' : w.post === 'deputy' ? 'orange' : 'blue'}>
            {tc('wfPost', w.post)}
          </Tag>
        ) : (
          '—'
        ),
    },
    { title: t('wf.title'), dataIndex: 'title', key: 'title', responsive: ['md'] },
    { title: t('wf.education'), key: 'edu', render: (_, w) => tc('wfEdu', w.education), responsive: ['lg'] },
    {
      title: t('wf.certificate'),
      key: 'cert',
      render: (_, w) => (w.topCertificate ? tc('wfCert', w.topCertificate) : '—'),
      responsive: ['md'],
    },
    {
      title: t('wf.years'),
      key: 'years',
      render: (_, w) => t('wf.yearsN', { n: w.yearsOfService }),
      sorter: (a, b) => a.yearsOfService - b.yearsOfService,
    },
    {
      title: t('wf.partyAffairs'),
      key: 'party',
      render: (_, w) => (w.partyAffairs ? <Tag color="red">{t('common.yes')}</Tag> : ''),
      responsive: ['lg'],
    },
    {
      title: t('wf.onboarded'),
      key: 'onb',
      render: (_, w) => w.onboardedOn ?? <Tag color="warning">{t('wf.notOnboarded')}</Tag>,
      responsive: ['lg'],
    },
  ];
  return (
    <Card>
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Input
          prefix={<SearchOutlined />}
          placeholder={t('wf.search')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          style={{ width: 180 }}
          allowClear
        />
        <Input placeholder={t('wf.territory')} value={code} onChange={(e) => setCode(e.target.value)} style={{ width: 170 }} allowClear />
        <Select
          allowClear
          placeholder={t('wf.post')}
          value={post}
          onChange={setPost}
          style={{ width: 170 }}
          options={POSTS.map((p) => ({ value: p, label: tc('wfPost', p) }))}
        />
        <Button icon={<DownloadOutlined />} onClick={() => void wfApi.exportWorkers(filter)} data-testid="wf-export-workers">
          {t('wf.exportXlsx')}
        </Button>
      </Flex>
      <Table
        rowKey="id"
        size="middle"
        loading={workers.isLoading}
        dataSource={workers.data ?? []}
        columns={columns}
        pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { n }) }}
        locale={{ emptyText: <Empty description={t('wf.empty')} /> }}
        scroll={{ x: 'max-content' }}
      />
    </Card>
  );
}
