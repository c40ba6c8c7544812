import { useState } from 'react';
import { Card, Input } from 'antd';
import { useLang } from '../../app/LangContext';
import VisitLog from './VisitForm';

/** A grid worker's own visit log (走访, 民情日志): counted in their monthly grid score. */
export default function VisitsPage() {
  const { t } = useLang();
  const [month, setMonth] = useState(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7));
  return (
    <Card
      size="small"
      title={t('wf.visit.title')}
      extra={<Input type="month" value={month} onChange={(e) => setMonth(e.target.value)} style={{ width: 150 }} />}
    >
      <VisitLog month={month} />
    </Card>
  );
}
