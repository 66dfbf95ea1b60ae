package io.augur.ops.table;

import java.time.LocalDateTime;

/**
 * The column types of Augur's insight tables, with their names in each SQL dialect the tables are read in. Times are
 * {@code TIMESTAMP(3)} without a time zone and hold UTC.
 */
public enum ColumnType {
    STRING(String.class, "STRING", "text", "string"),
    INT(Integer.class, "INT", "integer", "int"),
    BIGINT(Long.class, "BIGINT", "bigint", "bigint"),
    DOUBLE(Double.class, "DOUBLE", "double precision", "double"),
    TIMESTAMP(LocalDateTime.class, "TIMESTAMP(3)", "timestamp(3)", "timestamp");

    private final Class<?> javaType;
    private final String flink;
    private final String postgres;
    private final String athena;

    ColumnType(Class<?> javaType, String flink, String postgres, String athena) {
        this.javaType = javaType;
        this.flink = flink;
        this.postgres = postgres;
        this.athena = athena;
    }

    /** The Java class of the values (Flink's default conversion class for the SQL type). */
    public Class<?> javaType() {
        return javaType;
    }

    public String flinkSql() {
        return flink;
    }

    public String postgresSql() {
        return postgres;
    }

    /** Athena (Hive DDL) type. */
    public String athenaSql() {
        return athena;
    }
}
