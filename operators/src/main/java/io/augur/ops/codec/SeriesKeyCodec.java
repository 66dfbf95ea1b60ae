package io.augur.ops.codec;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.util.List;

/**
 * A compact, lossless binary form of a state key string such as a series key
 * ({@code account|region|namespace|metric|dimensions|stat}): the bytes the scoring chain's keyed state stores for its
 * key (issue 9; a {@code StringSerializer} key of a bench series takes ~76 bytes, this form ~27).
 *
 * <p>The key is split at every {@code |} (any string splits: a string without {@code |} is one field). The number of
 * fields follows as a varint, then each field as a header varint:
 * <ul>
 *   <li>{@code 0}: the field as a literal (varint length in chars, then each char as a varint: any char, unpaired
 *   surrogates included, round-trips);</li>
 *   <li>{@code 1}: exactly 12 ASCII digits (an AWS account id, leading zeros included): their value in 5 bytes;</li>
 *   <li>{@code 2}: {@code <word>=<rest>} where the word (before the first {@code =}) is in the dictionary (a dimension
 *   name): its index as a varint, then the rest as a literal;</li>
 *   <li>{@code 3 + i}: the field is dictionary word {@code i}.</li>
 * </ul>
 * The first rule that applies wins, so one key always gives the same bytes (RocksDB finds a key by its bytes).
 *
 * <p>{@link #DICTIONARY} is append only, and a codec uses only its first {@link #size()} words: a key written with a
 * shorter dictionary would give other bytes with a longer one, so whoever stores keys records the size it wrote with
 * (the serializer's snapshot) and keeps using that size for that state.
 */
public final class SeriesKeyCodec {
    private static final int LITERAL = 0, DIGITS12 = 1, NAMED = 2, WORD = 3;

    /**
     * AWS regions, statistics, CloudWatch namespaces, dimension names and common metric names. Append only: a word's
     * index is stored.
     */
    public static final List<String> DICTIONARY = List.of(
            // statistics (the last field of a series key)
            "Average", "Sum", "Maximum", "Minimum", "SampleCount", "p50", "p90", "p95", "p99", "p99.9",
            // regions
            "us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2",
            "eu-north-1", "eu-south-1", "eu-south-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1",
            "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-south-1", "ap-south-2", "ap-east-1", "ca-central-1", "ca-west-1",
            "sa-east-1", "me-south-1", "me-central-1", "af-south-1", "il-central-1", "us-gov-west-1", "us-gov-east-1", "cn-north-1",
            "cn-northwest-1",
            // namespaces
            "AWS/EC2", "AWS/Lambda", "AWS/ApplicationELB", "AWS/NetworkELB", "AWS/GatewayELB", "AWS/ELB", "AWS/RDS", "AWS/DynamoDB",
            "AWS/SQS", "AWS/SNS", "AWS/ECS", "AWS/EKS", "ECS/ContainerInsights", "ContainerInsights", "AWS/ApiGateway", "AWS/S3",
            "AWS/Kinesis", "AWS/Firehose", "AWS/CloudFront", "AWS/EBS", "AWS/ElastiCache", "AWS/States", "AWS/Events", "AWS/Logs",
            "AWS/AutoScaling", "AWS/Route53", "AWS/NATGateway", "AWS/Redshift", "AWS/ES", "AWS/Kafka", "AWS/DocDB", "AWS/Neptune",
            "AWS/AppSync", "AWS/Cognito", "AWS/EFS", "AWS/AmazonMQ", "AWS/KinesisAnalytics", "AWS/Glue", "AWS/Athena", "AWS/SageMaker",
            "AWS/Usage", "AWS/Backup", "AWS/WAFV2", "AWS/TransitGateway", "AWS/VPN", "AWS/DX", "AWS/CodeBuild", "AWS/Bedrock",
            // dimension names
            "InstanceId", "FunctionName", "Resource", "ExecutedVersion", "LoadBalancer", "TargetGroup", "AvailabilityZone",
            "LoadBalancerName", "DBInstanceIdentifier", "DBClusterIdentifier", "DatabaseClass", "EngineName", "Role", "TableName",
            "Operation", "GlobalSecondaryIndexName", "QueueName", "TopicName", "ClusterName", "ServiceName", "TaskDefinitionFamily",
            "ApiName", "ApiId", "Stage", "Method", "BucketName", "StorageType", "FilterId", "StreamName", "DeliveryStreamName",
            "DistributionId", "Region", "VolumeId", "CacheClusterId", "CacheNodeId", "ReplicationGroupId", "StateMachineArn",
            "AutoScalingGroupName", "NatGatewayId", "HealthCheckId", "DomainName", "ClientId", "Service", "Type", "Class",
            "ImageId", "InstanceType", "Namespace", "PodName", "NodeName",
            // EC2
            "CPUUtilization", "NetworkIn", "NetworkOut", "NetworkPacketsIn", "NetworkPacketsOut", "DiskReadOps", "DiskWriteOps",
            "DiskReadBytes", "DiskWriteBytes", "EBSReadOps", "EBSWriteOps", "EBSReadBytes", "EBSWriteBytes", "EBSIOBalance%",
            "EBSByteBalance%", "StatusCheckFailed", "StatusCheckFailed_Instance", "StatusCheckFailed_System", "CPUCreditUsage",
            "CPUCreditBalance", "MetadataNoToken",
            // Lambda
            "Invocations", "Errors", "Throttles", "Duration", "ConcurrentExecutions", "UnreservedConcurrentExecutions", "IteratorAge",
            "DeadLetterErrors", "DestinationDeliveryFailures", "AsyncEventAge", "AsyncEventsReceived", "AsyncEventsDropped",
            "PostRuntimeExtensionsDuration", "ProvisionedConcurrencyUtilization", "ProvisionedConcurrentExecutions",
            "ProvisionedConcurrencyInvocations", "ProvisionedConcurrencySpilloverInvocations",
            // load balancers
            "RequestCount", "TargetResponseTime", "HTTPCode_Target_2XX_Count", "HTTPCode_Target_3XX_Count", "HTTPCode_Target_4XX_Count",
            "HTTPCode_Target_5XX_Count", "HTTPCode_ELB_3XX_Count", "HTTPCode_ELB_4XX_Count", "HTTPCode_ELB_5XX_Count",
            "HTTPCode_ELB_502_Count", "HTTPCode_ELB_503_Count", "HTTPCode_ELB_504_Count", "ActiveConnectionCount", "NewConnectionCount",
            "RejectedConnectionCount", "ProcessedBytes", "HealthyHostCount", "UnHealthyHostCount", "TargetConnectionErrorCount",
            "ConsumedLCUs", "RequestCountPerTarget", "ActiveFlowCount", "NewFlowCount", "TCP_Client_Reset_Count",
            "TCP_Target_Reset_Count", "TCP_ELB_Reset_Count", "Latency", "BackendConnectionErrors", "SurgeQueueLength",
            "SpilloverCount", "HTTPCode_Backend_5XX",
            // RDS
            "ReadLatency", "WriteLatency", "ReadIOPS", "WriteIOPS", "ReadThroughput", "WriteThroughput", "DBLoad", "DBLoadCPU",
            "DBLoadNonCPU", "FreeStorageSpace", "FreeableMemory", "DatabaseConnections", "SwapUsage", "DiskQueueDepth",
            "ReplicaLag", "BurstBalance", "NetworkReceiveThroughput", "NetworkTransmitThroughput", "Deadlocks",
            // DynamoDB
            "ConsumedReadCapacityUnits", "ConsumedWriteCapacityUnits", "ProvisionedReadCapacityUnits", "ProvisionedWriteCapacityUnits",
            "ReadThrottleEvents", "WriteThrottleEvents", "ThrottledRequests", "SystemErrors", "UserErrors", "SuccessfulRequestLatency",
            "ReturnedItemCount", "ConditionalCheckFailedRequests", "AccountMaxReads", "AccountMaxWrites", "AccountMaxTableLevelReads",
            "AccountMaxTableLevelWrites",
            // SQS, SNS, Kinesis
            "ApproximateAgeOfOldestMessage", "ApproximateNumberOfMessagesVisible", "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed", "NumberOfMessagesSent", "NumberOfMessagesReceived", "NumberOfMessagesDeleted",
            "NumberOfEmptyReceives", "SentMessageSize", "NumberOfMessagesPublished", "NumberOfNotificationsDelivered",
            "NumberOfNotificationsFailed", "IncomingRecords", "IncomingBytes", "GetRecords.IteratorAgeMilliseconds",
            "GetRecords.Records", "GetRecords.Bytes", "WriteProvisionedThroughputExceeded", "ReadProvisionedThroughputExceeded",
            "PutRecords.Records", "PutRecord.Success",
            // API Gateway, ECS, others
            "Count", "4XXError", "5XXError", "IntegrationLatency", "CacheHitCount", "CacheMissCount", "MemoryUtilization",
            "CPUReservation", "MemoryReservation", "RunningTaskCount", "BucketSizeBytes", "NumberOfObjects", "AllRequests",
            "GetRequests", "PutRequests", "4xxErrors", "5xxErrors", "FirstByteLatency", "TotalRequestLatency", "BytesDownloaded",
            "Requests", "TotalErrorRate", "VolumeReadOps", "VolumeWriteOps", "VolumeReadBytes", "VolumeWriteBytes",
            "VolumeQueueLength", "VolumeIdleTime", "CurrConnections", "Evictions", "CacheHits", "CacheMisses", "EngineCPUUtilization",
            "ExecutionsFailed", "ExecutionsStarted", "ExecutionsSucceeded", "ExecutionsTimedOut", "ExecutionTime",
            "GroupDesiredCapacity", "GroupInServiceInstances", "GroupTotalInstances", "ErrorPortAllocation", "PacketsDropCount",
            "HealthCheckStatus", "CallCount", "ResourceCount");

    private final int size;
    private final String[] table; // open addressing over the first `size` words, by hash of their chars
    private final int[] index;
    private final int mask;

    /** A codec using every word of the dictionary. */
    public SeriesKeyCodec() {
        this(DICTIONARY.size());
    }

    /** A codec using the first {@code size} words of the dictionary (the size some stored keys were written with). */
    public SeriesKeyCodec(int size) {
        if (size < 0 || size > DICTIONARY.size()) {
            throw new IllegalArgumentException("dictionary size " + size + " is not between 0 and " + DICTIONARY.size()
                    + ": keys written by a newer version of Augur");
        }
        this.size = size;
        int cap = Integer.highestOneBit(Math.max(16, size * 4) - 1) << 1;
        table = new String[cap];
        index = new int[cap];
        mask = cap - 1;
        for (int i = 0; i < size; i++) {
            String w = DICTIONARY.get(i);
            int slot = hash(w, 0, w.length()) & mask;
            while (table[slot] != null) {
                if (table[slot].equals(w)) throw new IllegalStateException("dictionary word twice: " + w);
                slot = (slot + 1) & mask;
            }
            table[slot] = w;
            index[slot] = i;
        }
    }

    /** The number of dictionary words this codec uses. */
    public int size() {
        return size;
    }

    public void write(String key, DataOutput out) throws IOException {
        int n = 1;
        for (int i = 0, len = key.length(); i < len; i++) if (key.charAt(i) == '|') n++;
        writeVarint(out, n);
        int start = 0;
        for (int f = 0; f < n; f++) {
            int end = key.indexOf('|', start);
            if (end < 0) end = key.length();
            writeField(key, start, end, out);
            start = end + 1;
        }
    }

    public String read(DataInput in) throws IOException {
        int n = readVarint(in);
        if (n < 1) throw new IOException("series key: " + n + " fields");
        StringBuilder sb = new StringBuilder(96);
        for (int f = 0; f < n; f++) {
            if (f > 0) sb.append('|');
            int h = readVarint(in);
            if (h == LITERAL) {
                readLiteral(in, sb);
            } else if (h == DIGITS12) {
                long v = 0;
                for (int i = 0; i < 5; i++) v = (v << 8) | in.readUnsignedByte();
                if (v >= 1_000_000_000_000L) throw new IOException("series key: 12-digit field of " + v);
                String d = Long.toString(v);
                for (int i = d.length(); i < 12; i++) sb.append('0');
                sb.append(d);
            } else if (h == NAMED) {
                sb.append(word(readVarint(in))).append('=');
                readLiteral(in, sb);
            } else {
                sb.append(word(h - WORD));
            }
        }
        return sb.toString();
    }

    private String word(int i) throws IOException {
        if (i < 0 || i >= size) throw new IOException("series key: dictionary word " + i + " of " + size);
        return DICTIONARY.get(i);
    }

    private void writeField(String key, int start, int end, DataOutput out) throws IOException {
        int w = lookup(key, start, end);
        if (w >= 0) {
            writeVarint(out, WORD + w);
            return;
        }
        if (end - start == 12 && digits(key, start, end)) {
            out.writeByte(DIGITS12);
            long v = Long.parseLong(key, start, end, 10);
            for (int i = 4; i >= 0; i--) out.writeByte((int) (v >>> (8 * i)));
            return;
        }
        int eq = key.indexOf('=', start);
        if (eq >= 0 && eq < end) {
            int name = lookup(key, start, eq);
            if (name >= 0) {
                out.writeByte(NAMED);
                writeVarint(out, name);
                writeLiteral(key, eq + 1, end, out);
                return;
            }
        }
        out.writeByte(LITERAL);
        writeLiteral(key, start, end, out);
    }

    private int lookup(String s, int start, int end) {
        int slot = hash(s, start, end) & mask;
        int len = end - start;
        String w;
        while ((w = table[slot]) != null) {
            if (w.length() == len && s.regionMatches(start, w, 0, len)) return index[slot];
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    private static int hash(String s, int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) h = 31 * h + s.charAt(i);
        return h ^ (h >>> 16);
    }

    private static boolean digits(String s, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }

    private static void writeLiteral(String s, int start, int end, DataOutput out) throws IOException {
        writeVarint(out, end - start);
        for (int i = start; i < end; i++) writeVarint(out, s.charAt(i));
    }

    private static void readLiteral(DataInput in, StringBuilder sb) throws IOException {
        int len = readVarint(in);
        if (len < 0) throw new UTFDataFormatException("series key: literal of " + len + " chars");
        for (int i = 0; i < len; i++) {
            int c = readVarint(in);
            if (c > Character.MAX_VALUE) throw new UTFDataFormatException("series key: char " + c);
            sb.append((char) c);
        }
    }

    static void writeVarint(DataOutput out, int v) throws IOException {
        while ((v & ~0x7F) != 0) {
            out.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }

    static int readVarint(DataInput in) throws IOException {
        int v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v;
        }
        throw new IOException("series key: varint too long");
    }
}
