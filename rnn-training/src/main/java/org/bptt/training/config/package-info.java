/**
 * What a training is made of, apart from any run folder: the settings schema ({@link
 * org.bptt.training.config.RunSettings}, each setting declared once), a configuration ({@link
 * org.bptt.training.config.RunConfig}), its strict JSON form ({@link org.bptt.training.config.Json})
 * and the checkpoint file (a configuration with its weights). The engine ({@code org.bptt.training})
 * reads these; runs ({@code org.bptt.training.run}) are built on both.
 */
package org.bptt.training.config;
