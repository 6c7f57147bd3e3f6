import { Module } from '@nestjs/common';
import { NetworkController } from './network.controller';
import { NetworkService } from './network.service';
import { SwitchoverService } from './switchover.service';

@Module({ controllers: [NetworkController], providers: [NetworkService, SwitchoverService] })
export class NetworkModule {}
