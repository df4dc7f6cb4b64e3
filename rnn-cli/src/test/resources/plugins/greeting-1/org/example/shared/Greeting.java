package org.example.shared;

/** A library two plugins carry in different versions. */
public final class Greeting {
    private Greeting() {}

    public static String text() { return "greeting version one"; }
}
