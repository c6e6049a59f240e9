export { agencyConfigFileKeys, PATH_KEYS, SECRET_KEYS } from './keys';
