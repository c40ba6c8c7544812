import { useSearchParams } from 'react-router-dom';
import { Segmented } from 'antd';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { homeCode } from './api';
import HonoursPanel from './HonoursPanel';
import CareFundPanel from './CareFundPanel';
import HealthChecksPanel from './HealthChecksPanel';

const VIEWS = ['honours', 'fund', 'health'] as const;
type View = (typeof VIEWS)[number];

/**
 * Honours and care (W6) for street and district HR: honour candidates and award records, the
 * care fund (关爱基金: the street applies, the district decides) and yearly health checks. The
 * view is in the address (?view=) so a link opens the right list.
 */
export default function CarePage() {
  const { t } = useLang();
  const { session } = useAuth();
  const code = homeCode(session?.roles ?? []);
  const [params, setParams] = useSearchParams();
  const view: View = VIEWS.find((v) => v === params.get('view')) ?? 'honours';
  return (
    <div>
      <Segmented
        style={{ marginBottom: 16 }}
        value={view}
        onChange={(v) => setParams(v === 'honours' ? {} : { view: v as string }, { replace: true })}
        options={VIEWS.map((v) => ({ value: v, label: <span data-testid={`wf-care-view-${v}`}>{t(`wf.care.view.${v}`)}</span> }))}
      />
      {view === 'honours' && <HonoursPanel code={code} />}
      {view === 'fund' && <CareFundPanel code={code} />}
      {view === 'health' && <HealthChecksPanel code={code} />}
    </div>
  );
}
