import { useParams } from 'react-router-dom';
import { HouseholdPanel } from './HouseholdPanel';
import { RegistryNav } from './RegistryNav';

/** A house's page: where a door-plate QR leads the registry user. */
export default function HouseholdPage() {
  const { code = '' } = useParams();
  return (
    <div>
      <RegistryNav />
      <HouseholdPanel code={code} />
    </div>
  );
}
