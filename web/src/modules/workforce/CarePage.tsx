import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Col, Row, Table, Tag } from 'antd';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { homeCode, wfApi } from './api';

/** Honours (W6): candidates by years of service, awarded from here. Training is on its own tab. */
export default function CarePage() {
  const { t, tc } = useLang();
  const { session } = useAuth();
  const code = homeCode(session?.roles ?? []);
  const year = new Date().getFullYear();
  const qc = useQueryClient();
  const candidates = useQuery({ queryKey: ['wf', 'candidates', code, year], queryFn: () => wfApi.candidates(code, year), enabled: !!code });
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24}>
        <Card size="small" title={t('wf.care.candidates')}>
          <Table
            rowKey={(r) => `${r.workerId}-${r.kind}`}
            size="small"
            pagination={{ pageSize: 10 }}
            dataSource={candidates.data?.items ?? []}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: t('wf.name'), dataIndex: 'name', key: 'n' },
              { title: t('wf.community'), dataIndex: 'communityName', key: 'c' },
              { title: t('wf.years'), key: 'y', render: (_, r) => t('wf.yearsN', { n: r.years }) },
              {
                title: t('wf.care.kind'),
                key: 'k',
                render: (_, r) => (
                  <Tag color={r.kind === 'service_medal' ? 'gold' : r.kind === 'gengyun' ? 'green' : 'blue'}>{tc('wfHonour', r.kind)}</Tag>
                ),
              },
              {
                title: '',
                key: 'a',
                render: (_, r) => (
                  <Button
                    size="small"
                    onClick={() =>
                      void wfApi
                        .award({ workerId: r.workerId, kind: r.kind, year, amountFen: 0 })
                        .then(() => qc.invalidateQueries({ queryKey: ['wf', 'candidates'] }))
                    }
                  >
                    {t('wf.care.award')}
                  </Button>
                ),
              },
            ]}
          />
        </Card>
      </Col>
    </Row>
  );
}
