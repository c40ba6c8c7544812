// antd's message/notification need its <App> context; the query client's global error handler
// runs outside React, so the shell hands it the context-bound instances here.
import { Button, type App } from 'antd';

type AppApi = ReturnType<typeof App.useApp>;

let appApi: AppApi | null = null;

export function setFeedbackApi(api: AppApi | null): void {
  appApi = api;
}

export function showError(text: string): void {
  appApi?.message.error(text);
}

export function showSuccess(text: string): void {
  appApi?.message.success(text);
}

/** A stale-version write: say so and offer to reload the data, never overwrite silently. */
export function showConflict(title: string, description: string, reloadLabel: string, onReload: () => void): void {
  if (!appApi) return;
  const key = 'version-conflict';
  appApi.notification.warning({
    key,
    title,
    description,
    duration: 0,
    actions: (
      <Button
        type="primary"
        size="small"
        onClick={() => {
          appApi?.notification.destroy(key);
          onReload();
        }}
      >
        {reloadLabel}
      </Button>
    ),
  });
}
