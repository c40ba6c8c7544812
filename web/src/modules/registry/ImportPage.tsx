import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Input, Progress, Radio, Result, Segmented, Space, Steps, Table, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { download, isApiError } from '../../app/api';
import { useAuth } from '../../app/auth';
import { showError } from '../../app/feedback';
import { useLang } from '../../app/LangContext';
import { previewImport, registryApi, registryKeys, uploadImport, type ImportJob, type ImportKind, type ImportPreview } from './api';
import { ImportMapping } from './ImportMapping';
import { RegistryNav } from './RegistryNav';

interface HeaderProblem {
  missing?: string[];
  unknown?: string[];
  expected?: string[];
}

const KINDS: ImportKind[] = ['persons', 'units', 'vehicles'];
const TEMPLATE_NAME: Record<ImportKind, string> = { persons: '人口导入模板', units: '单位导入模板', vehicles: '车辆导入模板' };

/**
 * The import wizard: choose what to import and upload → map the file's columns to fields →
 * check (progress) → see every bad row → choose the mode → progress → done.
 */
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
  const [kind, setKind] = useState<ImportKind>('persons');
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [columns, setColumns] = useState<(string | null)[]>([]);

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

  const step = !j ? (preview ? 1 : 0) : j.status === 'validating' ? 2 : j.status === 'validated' || j.status === 'writing' ? 3 : 4;
  const reset = () => {
    setJobId(null);
    setHeaderProblem(null);
    setPreview(null);
    setFile(null);
  };
  /** First the server reads the headers and a few rows (nothing kept): the mapping step. */
  const inspect = async (f: File) => {
    setUploading(true);
    setHeaderProblem(null);
    try {
      const p = await previewImport(f, kind);
      setFile(f);
      setPreview(p);
      setColumns(p.suggested);
    } catch (e) {
      showError(isApiError(e) ? e.message : String(e));
    } finally {
      setUploading(false);
    }
  };
  const upload = async () => {
    if (!file) return;
    setUploading(true);
    setHeaderProblem(null);
    try {
      const created = await uploadImport(file, community, kind, columns);
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
      <Card
        size="small"
        title={t('registry.import.title')}
        data-testid="import-wizard"
        extra={
          <Segmented
            value={kind}
            disabled={step > 0}
            onChange={(v) => setKind(v as ImportKind)}
            options={KINDS.map((k) => ({ value: k, label: t(`registry.import.kind.${k}`) }))}
            data-testid="import-kind"
          />
        }
      >
        <Steps
          size="small"
          current={step}
          status={j?.status === 'done' ? 'finish' : j && ['rejected', 'failed', 'cancelled'].includes(j.status) ? 'error' : 'process'}
          style={{ marginBottom: 16 }}
          items={[
            { title: t('registry.import.step.upload') },
            { title: t('registry.import.step.map') },
            { title: t('registry.import.step.check') },
            { title: t('registry.import.step.choose') },
            { title: t('registry.import.step.done') },
          ]}
        />
        {!j && preview && file && (
          <ImportMapping
            preview={preview}
            fileName={file.name}
            columns={columns}
            onChange={setColumns}
            onNext={() => void upload()}
            onBack={reset}
            busy={uploading}
          />
        )}
        {!j && preview && headerProblem && <HeaderAlert problem={headerProblem} />}
        {!j && !preview && (
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
              <Button
                icon={<DownloadOutlined />}
                onClick={() => void download(`/api/registry/templates/${kind}.xlsx`, undefined, `${TEMPLATE_NAME[kind]}.xlsx`)}
              >
                {t('registry.import.template')}
              </Button>
              <Button
                icon={<DownloadOutlined />}
                onClick={() => void download(`/api/registry/templates/${kind}.csv`, undefined, `${TEMPLATE_NAME[kind]}.csv`)}
              >
                {t('registry.import.templateCsv')}
              </Button>
            </Flex>
            <Upload.Dragger
              accept=".xlsx,.csv"
              multiple={false}
              showUploadList={false}
              disabled={uploading || !/^\d{12}$/.test(community)}
              beforeUpload={(f) => {
                void inspect(f);
                return false;
              }}
              data-testid="import-upload"
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p>{t('registry.import.drop')}</p>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t(`registry.import.hint.${kind}`)}
              </Typography.Text>
            </Upload.Dragger>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('registry.import.cli', { command: kind === 'persons' ? 'people' : kind })}
            </Typography.Text>
          </Flex>
        )}
        {j && (j.status === 'validating' || j.status === 'writing') && (
          <Flex vertical gap={8} data-testid="import-progress">
            <Typography.Text>
              {j.status === 'validating' ? t('registry.import.checking', { file: j.fileName }) : t('registry.import.writing')}
            </Typography.Text>
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
                title={t(`registry.import.done.${j.kind}`, { imported: j.imported, updated: j.updated, rejected: j.rejected })}
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

function HeaderAlert({ problem }: { problem: { message: string; details: HeaderProblem } }) {
  const { t } = useLang();
  return (
    <Alert
      type="error"
      showIcon
      data-testid="import-header-error"
      style={{ marginTop: 12 }}
      title={problem.message}
      description={
        <>
          {!!problem.details.missing?.length && <div>{t('registry.import.missing', { cols: problem.details.missing.join('、') })}</div>}
          {!!problem.details.unknown?.length && <div>{t('registry.import.unknown', { cols: problem.details.unknown.join('、') })}</div>}
          {!!problem.details.expected?.length && <div>{t('registry.import.expected', { cols: problem.details.expected.join('、') })}</div>}
        </>
      }
    />
  );
}
