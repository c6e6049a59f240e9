export { CONFIG_FILE_VARIABLE, configFileOf, readConfigFile, withConfigFile } from './read-config-file';
export { configFileKeys, PATH_KEYS, SECRET_KEYS } from './keys';
