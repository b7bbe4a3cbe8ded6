package io.pushfabric.loadtest.fabric;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a service JVM runs: its shaded jar ({@code <module>-<version>-all.jar}) or, as a fallback, this JVM's
 * own classpath with the service's main class.
 */
public record ServiceImage(String module, String mainClass, Path jar, String classpath) {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceImage.class);

    /** Where the service code comes from. */
    public enum Launch {
        /** The shaded jar when one is found, else this JVM's classpath. */
        AUTO,
        /** The shaded jar, or fail. */
        JARS,
        /** This JVM's classpath (the test suite uses it, so it runs exactly the reactor's classes). */
        CLASSPATH
    }

    /** The {@code java ...} command line. */
    public List<String> command(List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        if (jar != null) {
            command.add("-jar");
            command.add(jar.toString());
        } else {
            command.add("-cp");
            command.add(classpath);
            command.add(mainClass);
        }
        command.addAll(args);
        return command;
    }

    /** The jar's name and the start of its SHA-256 (which build ran), or the classpath fallback. */
    public String describe() {
        if (jar == null) {
            return "classpath of the load generator (" + mainClass + ")";
        }
        try (java.io.InputStream in = Files.newInputStream(jar)) {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
            }
            return jar.getFileName() + " (sha256 " + java.util.HexFormat.of().formatHex(sha.digest()).substring(0, 12) + ")";
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            return jar.getFileName().toString();
        }
    }

    /** This JVM's classpath running {@code mainClass}. */
    public static ServiceImage ownClasspath(String module, String mainClass) {
        return new ServiceImage(module, mainClass, null, System.getProperty("java.class.path"));
    }

    /**
     * Finds the service's shaded jar and copies it into {@code snapshotDir}, so that a rebuild while the
     * run is going cannot change the code under a running service. The copy keeps the jar's modification time,
     * which a CDS archive or AOT cache made from the jar checks.
     *
     * @param explicit a jar named on the command line, if any
     */
    public static ServiceImage resolve(String module, String mainClass, Optional<Path> explicit, Launch launch,
                                       Path snapshotDir) {
        if (launch == Launch.CLASSPATH) {
            return ownClasspath(module, mainClass);
        }
        List<Path> searched = new ArrayList<>();
        Optional<Path> jar = explicit.isPresent() ? explicit.filter(Files::isRegularFile) : find(module, searched);
        if (jar.isEmpty()) {
            String where = explicit.map(Path::toString).orElse(searched.toString());
            if (launch == Launch.JARS || explicit.isPresent()) {
                throw new IllegalStateException("no shaded jar for " + module + " at " + where
                        + "; build it with: ./mvnw -B -q -pl " + module + " -am install -DskipTests");
            }
            LOG.warn("No {}-*-all.jar found (looked in {}); running {} from the load generator's classpath",
                    module, where, mainClass);
            return ownClasspath(module, mainClass);
        }
        try {
            Files.createDirectories(snapshotDir);
            Path copy = snapshotDir.resolve(jar.get().getFileName());
            Files.copy(jar.get(), copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            LOG.info("{}: {} (modified {})", module, jar.get().toAbsolutePath(), Files.getLastModifiedTime(jar.get()));
            return new ServiceImage(module, mainClass, copy, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + jar.get() + " to " + snapshotDir, e);
        }
    }

    private static Optional<Path> find(String module, List<Path> searched) {
        String version = Versions.get("pushfabric");
        List<Path> dirs = List.of(Path.of(module, "target"), Path.of("..", module, "target"));
        for (Path dir : dirs) {
            searched.add(dir);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, module + "-*-all.jar")) {
                for (Path j : jars) {
                    return Optional.of(j);
                }
            } catch (IOException e) {
                LOG.debug("Cannot list {}: {}", dir, e.toString());
            }
        }
        Path m2 = Path.of(System.getProperty("user.home"), ".m2", "repository", "io", "pushfabric", module, version,
                module + "-" + version + "-all.jar");
        searched.add(m2);
        return Files.isRegularFile(m2) ? Optional.of(m2) : Optional.empty();
    }
}
