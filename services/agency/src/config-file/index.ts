export { agencyConfigFileKeys, PATH_KEYS, SECRET_KEYS, TRUSTED_FILE_KEYS } from './keys';
