import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Input, Progress, Radio, Result, Space, Steps, Table, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { download, isApiError } from '../../app/api';
import { useAuth } from '../../app/auth';
import { showError } from '../../app/feedback';
import { useLang } from '../../app/LangContext';
import { registryApi, registryKeys, uploadImport, type ImportJob } from './api';
import { RegistryNav } from './RegistryNav';

interface HeaderProblem {
  missing?: string[];
  unknown?: string[];
  expected?: string[];
}

/** The import wizard: upload → check (progress) → see every bad row → choose the mode → progress → done. */
export default function ImportPage() {
  const { t } = useLang();
  const { session } = useAuth();
  const queryClient = useQueryClient();
  const defaultCommunity = session?.roles.find((r) => r.scopeType === 'territory' && r.scopeCode?.length === 12)?.scopeCode ?? '';
  const [community, setCommunity] = useState(defaultCommunity);
  const [jobId, setJobId] = useState<string | null>(null);
  const [mode, setMode] = useState<'all' | 'valid'>('valid');
  const [headerProblem, setHeaderProblem] = useState<{ message: string; details: HeaderProblem } | null>(null);
  const [uploading, setUploading] = useState(false);

  const job = useQuery({
    queryKey: registryKeys.job(jobId ?? ''),
    queryFn: () => registryApi.job(jobId!),
    enabled: !!jobId,
    refetchInterval: (q) => (q.state.data && ['validating', 'writing'].includes(q.state.data.status) ? 500 : false),
  });
  const j: ImportJob | undefined = job.data;
  useEffect(() => {
    if (j?.status === 'done') void queryClient.invalidateQueries({ queryKey: registryKeys.all });
  }, [j?.status, queryClient]);

  const step = !j ? 0 : j.status === 'validating' ? 1 : j.status === 'validated' ? 2 : j.status === 'writing' ? 2 : 3;
  const reset = () => {
    setJobId(null);
    setHeaderProblem(null);
  };
  const upload = async (file: File) => {
    setUploading(true);
    setHeaderProblem(null);
    try {
      const created = await uploadImport(file, community);
      setJobId(created.id);
    } catch (e) {
      if (isApiError(e) && e.code === 'IMPORT_BAD_HEADERS') setHeaderProblem({ message: e.message, details: e.details as HeaderProblem });
      else showError(isApiError(e) ? e.message : String(e));
    } finally {
      setUploading(false);
    }
  };
  const commit = async () => {
    if (!j) return;
    try {
      await registryApi.commit(j.id, mode);
      await job.refetch();
    } catch (e) {
      showError(isApiError(e) ? e.message : String(e));
    }
  };

  return (
    <div>
      <RegistryNav />
      <Card size="small" title={t('registry.import.title')} data-testid="import-wizard">
        <Steps
          size="small"
          current={step}
          style={{ marginBottom: 16 }}
          items={[
            { title: t('registry.import.step.upload') },
            { title: t('registry.import.step.check') },
            { title: t('registry.import.step.choose') },
            { title: t('registry.import.step.done') },
          ]}
        />
        {!j && (
          <Flex vertical gap={12}>
            <Flex wrap gap={8} align="center">
              <span>{t('registry.import.community')}</span>
              <Input
                value={community}
                onChange={(e) => setCommunity(e.target.value.trim())}
                placeholder={t('registry.import.communityPh')}
                style={{ width: 180 }}
                className="mono"
                data-testid="import-community"
              />
              <Button icon={<DownloadOutlined />} onClick={() => void download('/api/registry/templates/persons.xlsx', undefined, '人口导入模板.xlsx')}>
                {t('registry.import.template')}
              </Button>
              <Button icon={<DownloadOutlined />} onClick={() => void download('/api/registry/templates/persons.csv', undefined, '人口导入模板.csv')}>
                {t('registry.import.templateCsv')}
              </Button>
            </Flex>
            <Upload.Dragger
              accept=".xlsx,.csv"
              multiple={false}
              showUploadList={false}
              disabled={uploading || !/^\d{12}$/.test(community)}
              beforeUpload={(file) => {
                void upload(file);
                return false;
              }}
              data-testid="import-upload"
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p>{t('registry.import.drop')}</p>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('registry.import.hint')}
              </Typography.Text>
            </Upload.Dragger>
            {headerProblem && (
              <Alert
                type="error"
                showIcon
                data-testid="import-header-error"
                title={headerProblem.message}
                description={
                  <>
                    {!!headerProblem.details.missing?.length && <div>{t('registry.import.missing', { cols: headerProblem.details.missing.join('、') })}</div>}
                    {!!headerProblem.details.unknown?.length && <div>{t('registry.import.unknown', { cols: headerProblem.details.unknown.join('、') })}</div>}
                    {!!headerProblem.details.expected?.length && <div>{t('registry.import.expected', { cols: headerProblem.details.expected.join('、') })}</div>}
                  </>
                }
              />
            )}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('registry.import.cli')}
            </Typography.Text>
          </Flex>
        )}
        {j && (j.status === 'validating' || j.status === 'writing') && (
          <Flex vertical gap={8} data-testid="import-progress">
            <Typography.Text>{j.status === 'validating' ? t('registry.import.checking', { file: j.fileName }) : t('registry.import.writing')}</Typography.Text>
            <Progress percent={j.status === 'writing' ? 99 : j.progress} status="active" />
            <Typography.Text type="secondary">{t('registry.import.rows', { n: j.processed })}</Typography.Text>
          </Flex>
        )}
        {j && j.status !== 'validating' && j.status !== 'writing' && (
          <Flex vertical gap={12}>
            <Alert
              type={j.rejected ? 'warning' : 'success'}
              showIcon
              data-testid="import-summary"
              title={t('registry.import.summary', { total: j.total, valid: j.valid, rejected: j.rejected })}
            />
            {j.problemCount > 0 && (
              <>
                <Flex justify="space-between" align="center">
                  <Typography.Text strong>{t('registry.import.problems')}</Typography.Text>
                  <Button
                    size="small"
                    icon={<DownloadOutlined />}
                    onClick={() => void download(`/api/registry/imports/${j.id}/report.xlsx`, undefined, '导入错误报告.xlsx')}
                    data-testid="import-report"
                  >
                    {t('registry.import.report')}
                  </Button>
                </Flex>
                <Table
                  size="small"
                  rowKey={(p) => `${p.row}-${p.column}-${p.reason}`}
                  dataSource={j.problems}
                  pagination={{ pageSize: 10, size: 'small' }}
                  data-testid="import-problems"
                  columns={[
                    { title: t('registry.import.row'), dataIndex: 'row', key: 'row', width: 70 },
                    { title: t('registry.import.column'), dataIndex: 'column', key: 'col', width: 110 },
                    { title: t('registry.import.reason'), dataIndex: 'reason', key: 'reason' },
                  ]}
                />
              </>
            )}
            {j.status === 'validated' && (
              <Flex vertical gap={8}>
                <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)} data-testid="import-mode">
                  <Space direction="vertical">
                    <Radio value="valid">{t('registry.import.modeValid')}</Radio>
                    <Radio value="all">{t('registry.import.modeAll')}</Radio>
                  </Space>
                </Radio.Group>
                <Flex gap={8}>
                  <Button type="primary" onClick={() => void commit()} data-testid="import-commit">
                    {t('registry.import.start')}
                  </Button>
                  <Button onClick={() => void registryApi.cancel(j.id).then(reset)}>{t('registry.import.cancel')}</Button>
                </Flex>
              </Flex>
            )}
            {j.status === 'done' && (
              <Result
                status="success"
                title={t('registry.import.done', { imported: j.imported, updated: j.updated, rejected: j.rejected })}
                extra={<Button onClick={reset}>{t('registry.import.again')}</Button>}
                data-testid="import-done"
              />
            )}
            {(j.status === 'rejected' || j.status === 'failed' || j.status === 'cancelled') && (
              <Result
                status="warning"
                title={j.status === 'rejected' ? t('registry.import.rejected') : t('registry.import.failed')}
                extra={<Button onClick={reset}>{t('registry.import.again')}</Button>}
              />
            )}
          </Flex>
        )}
      </Card>
    </div>
  );
}
