import { useState } from 'react';
import { Button, Flex } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { AddBuildingModal } from './AddBuildingModal';
import { AddGridModal, RenameGridModal } from './GridModals';
import type { TerritoryNode } from './api';

type Dialog = 'grid' | 'building' | 'rename' | null;

/** For holders of territory.write: add a grid to a community, add a building to or rename a grid. */
export function PlaceActions({ node }: { node: TerritoryNode }) {
  const { t } = useLang();
  const { can } = useAuth();
  const [dialog, setDialog] = useState<Dialog>(null);
  if (!can('territory.write') || (node.level !== 'community' && node.level !== 'grid')) return null;
  const close = () => setDialog(null);

  return (
    <Flex wrap gap={8} style={{ marginTop: 12 }} data-testid="place-actions">
      {node.level === 'community' && (
        <>
          <Button icon={<PlusOutlined />} onClick={() => setDialog('grid')} data-testid="grid-add">
            {t('territory.addGrid')}
          </Button>
          <AddGridModal node={node} open={dialog === 'grid'} onClose={close} />
        </>
      )}
      {node.level === 'grid' && (
        <>
          <Button icon={<PlusOutlined />} onClick={() => setDialog('building')} data-testid="building-add">
            {t('territory.addBuilding')}
          </Button>
          <AddBuildingModal node={node} open={dialog === 'building'} onClose={close} />
          {/* a grid's version comes with the node; without it a rename could overwrite someone else's */}
          {node.version != null && (
            <>
              <Button icon={<EditOutlined />} onClick={() => setDialog('rename')} data-testid="grid-rename">
                {t('territory.renameGrid')}
              </Button>
              <RenameGridModal node={node} open={dialog === 'rename'} onClose={close} />
            </>
          )}
        </>
      )}
    </Flex>
  );
}
