@echo off
rem rnn, as installed from the distribution, on Windows: needs only a Java runtime 21 or newer
rem (%JAVA_HOME%, else java on the PATH). The JVM options come from conf\jvm.properties.
setlocal EnableDelayedExpansion
set "RNN_HOME=%~dp0.."
set "JAVA=java"
if defined JAVA_HOME if exist "%JAVA_HOME%\bin\java.exe" set "JAVA=%JAVA_HOME%\bin\java.exe"
set "OPTS="
for /f "usebackq eol=# tokens=1,* delims==" %%a in ("%RNN_HOME%\conf\jvm.properties") do (
  set "KEY=%%a"
  if "!KEY!"=="rnn.jvm.gc" set "OPTS=!OPTS! %%b"
  if "!KEY!"=="rnn.jvm.guice" set "OPTS=!OPTS! %%b"
  if "!KEY!"=="rnn.jvm.stack" set "OPTS=!OPTS! %%b"
  if not "%RNN_SIMD%"=="off" (
    if "!KEY!"=="rnn.jvm.vector" set "OPTS=!OPTS! %%b"
    if "!KEY!"=="rnn.jvm.jit" set "OPTS=!OPTS! %%b"
  )
)
"%JAVA%" %OPTS% %RNN_JAVA_OPTS% "-Drnn.home=%RNN_HOME%" "-Drnn.launcher=%~n0" -Drnn.terminal=0 --enable-native-access=ALL-UNNAMED -cp "%RNN_HOME%\lib\*" org.bptt.cli.Main %*
exit /b %ERRORLEVEL%
