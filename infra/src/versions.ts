/** Versions checked on the project's machines; see README "Local cluster". */
export const KAFKA_VERSION = '4.4.0';
export const APICURIO_VERSION = '3.3.3';
/** Kafka 4.x brokers and tools run on Java 17; Apicurio Registry 3.x needs 21. */
export const KAFKA_MIN_JAVA = 17;
export const REGISTRY_MIN_JAVA = 21;
/** The registry's identity provider; needs Java 21 like the registry, whose runtime it shares. */
export const KEYCLOAK_VERSION = '26.7.3';
