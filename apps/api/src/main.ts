import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createApp, DOCS_PATH } from './app/create-app';
import { ConfigurationError, type Environment } from './config/environment';
import { hasDashboard } from './dashboard/dashboard.middleware';

async function bootstrap(): Promise<void> {
  const started = performance.now();
  const app = await createApp({ searchFrom: [__dirname] });
  const config = app.get<ConfigService<Environment, true>>(ConfigService);
  const host = config.get('HOST', { infer: true });
  await app.listen(config.get('PORT', { infer: true }), host);

  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.get('PORT', { infer: true });
  const base = `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${port}`;
  const dashboardDir = config.get('DASHBOARD_DIR', { infer: true });
  const logger = new Logger('Encore');
  logger.log(`API        ${base}/v1/songs   (health: ${base}/health)`);
  logger.log(`API docs   ${base}/${DOCS_PATH}`);
  logger.log(
    hasDashboard(dashboardDir)
      ? `Dashboard  ${base}/`
      : `Dashboard  not built (${dashboardDir} missing; run: npx nx build dashboard)`,
  );
  logger.log(`ready in ${Math.round(performance.now() - started)} ms`);
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigurationError) {
    console.error(`Encore API not started. ${error.message}`);
  } else {
    console.error('Encore API failed to start:', error);
  }
  process.exit(1);
});
