export { CONFIG_FILE_KEYS, loadConfig, loadProcessConfig, type ServiceConfig } from './config';
export { startAgencyService, type RunningService, type ServiceHooks } from './service';
