package dev.workbookrelay.sandbox;

import dev.workbookrelay.Application;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * The main class of a {@link RelayProcess} child: exactly what {@link Application#main} does
 * ({@code Application.create().run()}), plus a {@link ChildReport} that says when the routes run and how much heap
 * the relay used at most.
 */
public final class RelayMain {

    private RelayMain() {
    }

    public static void main(String[] args) throws Exception {
        ChildReport report = ChildReport.start();
        Main main = Application.create();
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport m) {
                report.markReady();
            }
        });
        main.run(args);
    }
}
