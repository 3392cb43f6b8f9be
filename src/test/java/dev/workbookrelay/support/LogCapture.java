package dev.workbookrelay.support;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Every log line of this JVM from {@link #attach()} to {@link #close()}, as log4j2 (the relay's binding) formats
 * it, with the full stack of any exception and the thread context (MDC). Attached to the root logger and to every
 * configured logger, so non-additive loggers are seen too.
 */
public final class LogCapture implements AutoCloseable {

    private final List<String> lines = new ArrayList<>();
    private final Appender appender;

    private LogCapture(String pattern) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        if (pattern == null) {
            // the console appender of src/main/resources/log4j2.properties, as the relay writes its log
            pattern = ((PatternLayout) config.getAppender("console").getLayout()).getConversionPattern();
        }
        appender = new Appender("log-capture-" + UUID.randomUUID(), PatternLayout.newBuilder()
                .withConfiguration(config).withPattern(pattern).build());
        appender.start();
        config.addAppender(appender);
        config.getRootLogger().addAppender(appender, null, null);
        for (LoggerConfig logger : config.getLoggers().values()) {
            if (logger != config.getRootLogger()) {
                logger.addAppender(appender, null, null);
            }
        }
        context.updateLoggers();
    }

    public static LogCapture attach() {
        return new LogCapture("%d %-5level [%t] %c - %msg %X%n%ex{full}");
    }

    /** Lines exactly as the shipped console appender writes them (its pattern, no thread context). */
    public static LogCapture asShipped() {
        return new LogCapture(null);
    }

    /** The lines captured so far (a copy). */
    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        config.getRootLogger().removeAppender(appender.getName());
        for (LoggerConfig logger : config.getLoggers().values()) {
            logger.removeAppender(appender.getName());
        }
        context.updateLoggers();
        appender.stop();
    }

    private final class Appender extends AbstractAppender {
        Appender(String name, PatternLayout layout) {
            super(name, null, layout, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            String line = ((PatternLayout) getLayout()).toSerializable(event);
            synchronized (lines) {
                lines.add(line);
            }
        }
    }
}
