import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Descriptions, Empty, List, Row, Spin, Tag, Timeline, Typography } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { useParams } from 'react-router-dom';
import { useLang } from '../../app/LangContext';
import { wfApi, yuan } from './api';
import ArchiveActions from './ArchiveActions';

export default function ArchivePage() {
  const { id = '' } = useParams();
  const { t, tc } = useLang();
  const q = useQuery({ queryKey: ['wf', 'archive', id], queryFn: () => wfApi.archive(id) });
  if (q.isLoading) return <Spin />;
  const a = q.data;
  if (!a) return <Empty />;
  const none = <Typography.Text type="secondary">{t('wf.noneYet')}</Typography.Text>;
  return (
    <Row gutter={[16, 16]}>
      <Col span={24}>
        <Card
          title={
            <span data-testid="wf-archive-name">
              {t('wf.archive')} · {a.name}
            </span>
          }
          extra={
            <Button type="primary" icon={<PrinterOutlined />} onClick={() => void wfApi.archivePdf(a.id)} data-testid="wf-archive-pdf">
              {t('wf.printPdf')}
            </Button>
          }
        >
          <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} bordered>
            <Descriptions.Item label={t('wf.gender')}>{a.gender === 'M' ? '男' : a.gender === 'F' ? '女' : '—'}</Descriptions.Item>
            <Descriptions.Item label={t('wf.age')}>{a.age ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('wf.idNumber')}>{a.idMasked}</Descriptions.Item>
            <Descriptions.Item label={t('wf.phone')}>{a.phoneMasked ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('wf.political')}>{tc('wfPolitical', a.political)}</Descriptions.Item>
            <Descriptions.Item label={t('wf.education')}>
              {tc('wfEdu', a.education)} {a.major}
            </Descriptions.Item>
            <Descriptions.Item label={t('wf.community')}>
              {a.streetName} · {a.communityName}
            </Descriptions.Item>
            <Descriptions.Item label={t('wf.post')}>
              {a.post ? tc('wfPost', a.post) : '—'} {a.title}
            </Descriptions.Item>
            <Descriptions.Item label={t('wf.workStart')}>
              {a.workStart}（{t('wf.yearsN', { n: a.yearsOfService })}）
            </Descriptions.Item>
            <Descriptions.Item label={t('wf.partyAffairs')}>{a.partyAffairs ? t('common.yes') : t('common.no')}</Descriptions.Item>
            <Descriptions.Item label={t('wf.onboarded')}>
              {a.onboardedOn ?? <Tag color="warning">{t('wf.notOnboarded')}</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label={t('wf.training')}>{t('wf.trainingDays', { n: a.trainingDaysThisYear })}</Descriptions.Item>
          </Descriptions>
          {a.canManage && (
            <div style={{ marginTop: 12 }}>
              <ArchiveActions a={a} />
            </div>
          )}
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card title={t('wf.posts')} size="small">
          <Timeline
            items={a.posts.map((p) => ({
              color: p.endOn ? 'gray' : 'green',
              content: `${p.startOn} — ${p.endOn ?? t('wf.now')}  ${p.communityName} ${tc('wfPost', p.post)} ${p.title}${p.reason ? `（${p.reason}）` : ''}`,
            }))}
          />
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card title={t('wf.certificates')} size="small">
          {a.certificates.length ? (
            <List
              size="small"
              dataSource={a.certificates}
              renderItem={(c) => <List.Item>{`${c.issuedOn}  ${c.name}  ${c.number}`}</List.Item>}
            />
          ) : (
            none
          )}
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card title={t('wf.appraisals')} size="small">
          {a.appraisals.length ? a.appraisals.map((x) => <Tag key={x.year}>{`${x.year} ${tc('wfAppraisal', x.result)}`}</Tag>) : none}
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card title={t('wf.grades')} size="small">
          {a.grades.length ? (
            <List
              size="small"
              dataSource={a.grades}
              renderItem={(g) => <List.Item>{`${g.effectiveFrom}  ${g.grade}  ${g.reason}`}</List.Item>}
            />
          ) : (
            none
          )}
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card title={t('wf.training')} size="small">
          {a.training.length ? (
            <List
              size="small"
              dataSource={a.training}
              renderItem={(x) => <List.Item>{`${x.startOn}  ${x.programme} · ${x.title}  ${x.days}天`}</List.Item>}
            />
          ) : (
            none
          )}
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card title={`${t('wf.honours')} / ${t('wf.care')}`} size="small">
          {a.honours.length + a.care.length ? (
            <List
              size="small"
              dataSource={[
                ...a.honours.map((h) => `${h.awardedOn}  ${h.title}${h.amountFen ? `  ${yuan(h.amountFen)} 元` : ''}`),
                ...a.care.map((c) => `${c.year}  ${c.kind === 'care_fund' ? '关爱基金' : '健康体检'}  ${c.reason}`),
              ]}
              renderItem={(s) => <List.Item>{s}</List.Item>}
            />
          ) : (
            none
          )}
        </Card>
      </Col>
      <Col span={24}>
        <Card title={t('wf.duties')} size="small">
          <ol style={{ margin: 0, paddingLeft: 20 }}>
            {a.duties.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ol>
        </Card>
      </Col>
    </Row>
  );
}
