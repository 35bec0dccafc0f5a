package dev.ordergraph.e2e.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One process of the stack (a service or the gateway), its output in a log file, stoppable and restartable. */
public final class ServiceProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private List<String> command;
    private final Path workDir;
    private final Map<String, String> env;
    private final URI healthUrl;
    private final Path log;
    private Process process;

    public ServiceProcess(String name, List<String> command, Path workDir, Map<String, String> env, URI healthUrl, Path logDir) {
        this.name = name;
        this.command = command;
        this.workDir = workDir;
        this.env = env;
        this.healthUrl = healthUrl;
        this.log = logDir.resolve(name + ".log");
    }

    public Map<String, String> env() {
        return env;
    }

    /** Starts with {@code command} from now on (e.g. once a start-up cache exists). */
    public void useCommand(List<String> command) {
        this.command = List.copyOf(command);
    }

    public void start() {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not start " + name + ": " + command, e);
        }
    }

    /** Waits until the health URL answers 200; fails with the log's tail if the process dies or time runs out. */
    public void awaitHealthy(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(healthUrl).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(300);
        }
        throw new IllegalStateException(name + " not healthy at " + healthUrl + " within " + timeout + ":\n" + logTail());
    }

    /**
     * Heap in use right after a full collection ({@code jcmd GC.run}), in MiB: what is live. For a Spring
     * service only (read from its {@code jvm.memory.used} meter beside the health URL).
     */
    public double liveHeapMiB() {
        try {
            String jcmd = Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("jcmd").toString();
            Process gc = new ProcessBuilder(jcmd, String.valueOf(process.pid()), "GC.run").redirectErrorStream(true).start();
            gc.getInputStream().readAllBytes();
            if (gc.waitFor() != 0) {
                throw new IllegalStateException("jcmd GC.run failed for " + name);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        double bytes = new GraphQlClient(healthUrl.resolve("/actuator/metrics/jvm.memory.used?tag=area:heap"), null).get()
                .json().path("measurements").get(0).path("value").asDouble();
        return bytes / (1024 * 1024);
    }

    /** Resident memory of the process and its children (e.g. Node's workers), in MiB, from /proc. */
    public long rssMiB() {
        long kib = 0;
        for (ProcessHandle handle : java.util.stream.Stream.concat(java.util.stream.Stream.of(process.toHandle()), process.descendants()).toList()) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + handle.pid() + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        kib += Long.parseLong(line.replaceAll("\\D", ""));
                    }
                }
            } catch (IOException e) {
                // exited meanwhile
            }
        }
        return kib / 1024;
    }

    /** The operating system's id of the running process. */
    public long pid() {
        return process.pid();
    }

    /** Sends the process {@code signal} ({@code STOP} pauses it, as a stalled host would; {@code CONT} resumes it). */
    public void signal(String signal) {
        try {
            int exit = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " exited with " + exit);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code kill -9}: the process gets no chance to close anything. */
    public void kill() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        try {
            process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
