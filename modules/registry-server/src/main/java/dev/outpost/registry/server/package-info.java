/**
 * An embedded schema registry that speaks Confluent Schema Registry's REST protocol for Avro
 * schemas, for Outpost's demo and tests (Confluent's own jars are not used).
 *
 * <ul>
 *   <li>{@link dev.outpost.registry.server.RegistryServer}: the HTTP server, on 127.0.0.1 only,
 *       built with {@code RegistryServer.builder().port(0).store(store).build()};
 *   <li>{@link dev.outpost.registry.server.SchemaStore}: the log the server's state is replayed
 *       from, kept in memory ({@link dev.outpost.registry.server.InMemorySchemaStore}) or in a
 *       compacted Kafka topic laid out like Confluent's {@code _schemas} ({@link
 *       dev.outpost.registry.server.KafkaSchemaStore}).
 * </ul>
 */
package dev.outpost.registry.server;
