import { Suspense, useState } from 'react';
import { Outlet } from 'react-router-dom';
import { Drawer, Grid, Layout, Spin } from 'antd';
import { useLang } from '../LangContext';
import { Brand, HeaderBar } from './HeaderBar';
import { NavMenu } from './NavMenu';

export function AppLayout() {
  const screens = Grid.useBreakpoint();
  // before the first measurement useBreakpoint is empty; assume a phone until told otherwise
  const mobile = !screens.md;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const { t } = useLang();

  return (
    <Layout className="app-shell">
      <Layout.Header className="app-header">
        <HeaderBar mobile={mobile} onMenu={() => setDrawerOpen(true)} />
      </Layout.Header>
      <Layout>
        {!mobile && (
          <Layout.Sider width={208} theme="light" className="app-sider">
            <NavMenu />
          </Layout.Sider>
        )}
        {mobile && (
          <Drawer
            placement="left"
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            size={240}
            title={<Brand />}
            styles={{ body: { padding: 0 } }}
            aria-label={t('nav.menu')}
          >
            <NavMenu onNavigate={() => setDrawerOpen(false)} />
          </Drawer>
        )}
        <Layout.Content className="app-content">
          <Suspense
            fallback={
              <div className="page-spin">
                <Spin />
              </div>
            }
          >
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
