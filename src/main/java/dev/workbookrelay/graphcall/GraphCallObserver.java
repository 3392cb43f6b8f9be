package dev.workbookrelay.graphcall;

/** Told of every attempt of a Graph call that goes out, as Graph (and its throttling) counts them. */
@FunctionalInterface
public interface GraphCallObserver {

    void attempted();
}
