-- First start of the compose postgres: the two databases the services own.
create database users;
create database orders;
