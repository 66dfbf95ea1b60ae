package io.augur.job.source;

import io.augur.job.config.AugurConfig;
import io.augur.job.config.ConfigException;
import io.augur.schema.RawRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.connector.kinesis.source.KinesisStreamsSource;
import org.apache.flink.connector.kinesis.source.config.KinesisStreamsSourceConfigConstants;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The Kinesis streams Augur reads, through the Flink Kinesis connector's FLIP-27 source. */
public final class KinesisSources {
    private KinesisSources() {}

    /** A stream ARN as given, or built from the stream name, region and account. */
    public static String streamArn(String nameOrArn, AugurConfig cfg) {
        if (nameOrArn.startsWith("arn:")) {
            if (!nameOrArn.matches("arn:aws[a-z-]*:kinesis:[a-z0-9-]+:\\d{12}:stream/.+")) {
                throw new ConfigException("'" + nameOrArn + "' is not a Kinesis stream ARN (arn:aws:kinesis:REGION:ACCOUNT:stream/NAME)");
            }
            return nameOrArn;
        }
        if (!nameOrArn.matches("[a-zA-Z0-9_.-]{1,128}")) {
            throw new ConfigException("'" + nameOrArn + "' is not a valid Kinesis stream name (1-128 of a-z A-Z 0-9 _ . -)");
        }
        return "arn:aws:kinesis:" + cfg.get(AugurConfig.KINESIS_REGION) + ":" + cfg.get(AugurConfig.KINESIS_ACCOUNT) + ":stream/" + nameOrArn;
    }

    /** The connector's configuration: region, endpoint, credentials, initial position, shard discovery. */
    public static Configuration connectorConfig(AugurConfig cfg) {
        Configuration c = new Configuration();
        c.setString("aws.region", cfg.get(AugurConfig.KINESIS_REGION));
        if (cfg.isSet(AugurConfig.KINESIS_ENDPOINT)) {
            c.setString("aws.endpoint", cfg.get(AugurConfig.KINESIS_ENDPOINT));
            c.setString("aws.trust.all.certificates", "true");
        }
        String provider = cfg.get(AugurConfig.KINESIS_CREDENTIALS);
        c.setString("aws.credentials.provider", provider);
        if ("BASIC".equals(provider)) {
            if (!cfg.isSet(AugurConfig.KINESIS_ACCESS_KEY) || !cfg.isSet(AugurConfig.KINESIS_SECRET_KEY)) {
                throw new ConfigException("kinesis.credentials.provider=BASIC needs kinesis.credentials.access-key-id and kinesis.credentials.secret-key");
            }
            c.setString("aws.credentials.provider.basic.accesskeyid", cfg.get(AugurConfig.KINESIS_ACCESS_KEY));
            c.setString("aws.credentials.provider.basic.secretkey", cfg.get(AugurConfig.KINESIS_SECRET_KEY));
        } else if ("PROFILE".equals(provider) && cfg.isSet(AugurConfig.KINESIS_PROFILE)) {
            c.setString("aws.credentials.provider.profile.name", cfg.get(AugurConfig.KINESIS_PROFILE));
        }
        KinesisStreamsSourceConfigConstants.InitialPosition position =
                KinesisStreamsSourceConfigConstants.InitialPosition.valueOf(cfg.get(AugurConfig.KINESIS_INITIAL_POSITION));
        c.set(KinesisStreamsSourceConfigConstants.STREAM_INITIAL_POSITION, position);
        if (position == KinesisStreamsSourceConfigConstants.InitialPosition.AT_TIMESTAMP) {
            String ts = cfg.get(AugurConfig.KINESIS_INITIAL_TIMESTAMP);
            try {
                c.set(KinesisStreamsSourceConfigConstants.STREAM_INITIAL_TIMESTAMP, String.valueOf(Instant.parse(ts).getEpochSecond()));
            } catch (DateTimeParseException e) {
                throw new ConfigException("kinesis.initial-position=AT_TIMESTAMP needs kinesis.initial-timestamp as an ISO-8601 instant, got '" + ts + "'");
            }
        }
        c.set(KinesisStreamsSourceConfigConstants.SHARD_DISCOVERY_INTERVAL_MILLIS, cfg.getDuration(AugurConfig.KINESIS_SHARD_DISCOVERY).toMillis());
        return c;
    }

    public static DataStream<RawRecord> stream(StreamExecutionEnvironment env, AugurConfig cfg, String nameOrArn, String uid) {
        String arn = streamArn(nameOrArn, cfg);
        String name = arn.substring(arn.indexOf(":stream/") + 8);
        KinesisStreamsSource<RawRecord> source = KinesisStreamsSource.<RawRecord>builder()
                .setStreamArn(arn)
                .setSourceConfig(connectorConfig(cfg))
                .setDeserializationSchema(new RawRecordKinesisDeserializer(name))
                .build();
        // Watermarks are assigned after parsing, from the datapoints' own timestamps.
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "Kinesis " + name, new AvroTypeInfo<>(RawRecord.class)).uid(uid);
    }
}
