package dev.workbookrelay.image;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runtime stage (the last {@code FROM}) of a Dockerfile, read as Docker reads the instructions the image's
 * layout depends on: the user and its uid, the working directory, what is copied where, the environment, the
 * volumes, which folders a {@code RUN} gives to the user, and the entrypoint. Any other instruction is refused, so
 * a change to the image that this reading would miss fails loudly instead of being tested as something else.
 */
record DockerfileRuntime(String user, int uid, String workdir, List<Copy> copies, Map<String, String> env,
        List<String> volumes, List<String> ownedByUser, List<String> entrypoint) {

    /** A COPY: from the build stage ({@code fromBuild}) or the build context, to a path of the image. */
    record Copy(boolean fromBuild, String source, String target) {
    }

    private static final Pattern USERADD_UID = Pattern.compile("useradd\\b.*--uid\\s+(\\d+)\\s+(\\S+)");
    private static final Pattern CHOWN = Pattern.compile("chown\\s+(?:-R\\s+)?(\\S+?)(?::\\S+)?\\s+(/\\S+)");
    private static final Pattern ENV_PAIR = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)");

    static DockerfileRuntime read(Path dockerfile) throws IOException {
        List<String> instructions = instructions(Files.readString(dockerfile));
        int last = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).startsWith("FROM ")) {
                last = i;
            }
        }
        String user = "root";
        Map<String, Integer> uids = new LinkedHashMap<>();
        uids.put("root", 0);
        String workdir = "/";
        List<Copy> copies = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        List<String> volumes = new ArrayList<>();
        List<String> chowned = new ArrayList<>();
        List<String> entrypoint = List.of();
        for (String line : instructions.subList(last + 1, instructions.size())) {
            String keyword = line.split("\\s+", 2)[0];
            String rest = line.substring(keyword.length()).trim();
            switch (keyword) {
                case "RUN" -> {
                    Matcher add = USERADD_UID.matcher(rest);
                    if (add.find()) {
                        uids.put(add.group(2), Integer.parseInt(add.group(1)));
                    }
                    Matcher chown = CHOWN.matcher(rest);
                    while (chown.find()) {
                        chowned.add(chown.group(1) + " " + chown.group(2));
                    }
                }
                case "WORKDIR" -> workdir = rest;
                case "COPY" -> {
                    boolean fromBuild = rest.startsWith("--from=");
                    String[] parts = (fromBuild ? rest.substring(rest.indexOf(' ') + 1) : rest).trim().split("\\s+");
                    copies.add(new Copy(fromBuild, parts[0], parts[1]));
                }
                case "ENV" -> {
                    Matcher pair = ENV_PAIR.matcher(rest);
                    while (pair.find()) {
                        env.put(pair.group(1), pair.group(2).replaceAll("^\"|\"$", ""));
                    }
                }
                case "VOLUME" -> volumes.addAll(List.of(rest.replaceAll("[\\[\\]\",]", " ").trim().split("\\s+")));
                case "USER" -> user = rest;
                case "ENTRYPOINT" -> entrypoint = new ObjectMapper().readValue(rest, new TypeReference<List<String>>() {
                });
                case "EXPOSE" -> {
                    // documentation only
                }
                default -> throw new IllegalStateException("the image test does not know what " + keyword
                        + " does to the runtime image: teach DockerfileRuntime, or keep it out of that stage");
            }
        }
        Integer uid = uids.get(user);
        if (uid == null) {
            throw new IllegalStateException("USER " + user + " is created with no --uid the test can use");
        }
        String owner = user;
        List<String> owned = chowned.stream().filter(c -> c.startsWith(owner + " ")).map(c -> c.split(" ")[1])
                .toList();
        return new DockerfileRuntime(user, uid, workdir, copies, env, volumes, owned, entrypoint);
    }

    /** The instructions, continuation lines joined, comments and blank lines dropped. */
    private static List<String> instructions(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            if (!current.toString().isBlank()) {
                out.add(current.toString().trim());
            }
            current.setLength(0);
        }
        return out;
    }
}
